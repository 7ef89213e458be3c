import { matchWard } from './ward-match';
import type { Zone } from './zone-directory';

const zone: Zone = {
  id: 'hcm-central',
  province: 'HCM',
  nameEn: 'c',
  nameVi: 'c',
  locationIds: [],
  providers: [],
  active: true,
  wards: [
    { code: 'hcm-ben-thanh', province: 'HCM', nameVi: 'Phường Bến Thành', nameEn: 'Ben Thanh Ward' },
    { code: 'hcm-ban-co', province: 'HCM', nameVi: 'Phường Bàn Cờ', nameEn: 'Ban Co Ward' },
  ],
};

describe('matchWard', () => {
  it.each([
    ['Phường Bến Thành', 'TP. Hồ Chí Minh'],
    ['P. Ben Thanh', 'Ho Chi Minh City'],
    ['ben thanh', undefined],
    ['Ben Thanh Ward', 'HCM'],
    ['hcm-ben-thanh', 'Sài Gòn'],
  ])('finds Bến Thành from %p in %p', (ward, province) => {
    expect(matchWard(zone, ward, province)?.code).toBe('hcm-ben-thanh');
  });

  it('tells Bàn Cờ from Bến Thành, and refuses another province or an unknown ward', () => {
    expect(matchWard(zone, 'Phường Bàn Cờ')?.code).toBe('hcm-ban-co');
    expect(matchWard(zone, 'Phường Bến Thành', 'Hà Nội')).toBeNull();
    expect(matchWard(zone, 'Phường Hoàn Kiếm', 'HCM')).toBeNull();
    expect(matchWard(zone, '', 'HCM')).toBeNull();
  });
});
