// Which of a zone's wards an address names. Addresses are typed by people: "Phường Bến Thành",
// "P. Ben Thanh", "ben thanh" and our code "hcm-ben-thanh" are the same ward. Compared without
// diacritics, case, the "phường"/"ward" prefix and punctuation; the province, when given, must be
// the zone's (HCM: Hồ Chí Minh / Ho Chi Minh / HCM / Sài Gòn; HN: Hà Nội / Hanoi / HN).
import type { WardInfo, Zone } from './zone-directory';

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const WARD_PREFIX = /^(phuong|p|ward|xa|commune)\s+/;
const PROVINCES: Record<string, string[]> = {
  HCM: [
    'hcm',
    'ho chi minh',
    'tp ho chi minh',
    'thanh pho ho chi minh',
    'ho chi minh city',
    'tphcm',
    'sai gon',
    'saigon',
  ],
  HN: ['hn', 'ha noi', 'hanoi', 'tp ha noi', 'thanh pho ha noi'],
};

const wardKey = (name: string) =>
  fold(name)
    .replace(WARD_PREFIX, '')
    .replace(/\s+ward$/, '');

export function provinceMatches(zoneProvince: string, province: string | undefined): boolean {
  if (!province) return true;
  const f = fold(province);
  return (PROVINCES[zoneProvince] ?? [fold(zoneProvince)]).includes(f);
}

export function matchWard(zone: Zone, ward: string, province?: string): WardInfo | null {
  if (ward.length > 200 || !provinceMatches(zone.province, province)) return null;
  const key = wardKey(ward);
  if (!key) return null;
  return (
    zone.wards.find(
      (w) => w.code === ward.trim().toLowerCase() || wardKey(w.nameVi) === key || wardKey(w.nameEn) === key,
    ) ?? null
  );
}
