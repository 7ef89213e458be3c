// Bilingual product descriptions: the name, the line's blurb, origin, storage and shelf life.
import { countryName } from './countries';
import type { Storage } from './model';

const STORAGE: Record<Storage, { en: string; vi: string }> = {
  chilled: { en: 'Keep refrigerated at 0–4°C.', vi: 'Bảo quản lạnh ở 0–4°C.' },
  frozen: { en: 'Keep frozen at -18°C or below.', vi: 'Bảo quản đông lạnh ở -18°C trở xuống.' },
  ambient: {
    en: 'Store in a cool, dry place away from direct sunlight.',
    vi: 'Bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.',
  },
  produce: { en: 'Keep cool; best enjoyed fresh.', vi: 'Bảo quản nơi mát, ngon nhất khi dùng tươi.' },
  non_food: { en: 'Keep out of reach of children.', vi: 'Để xa tầm tay trẻ em.' },
};

export interface DescribedProduct {
  nameEn: string;
  nameVi: string;
  about?: { en: string; vi: string };
  manufacturer: string | null;
  originCountry: string;
  originRegion: string | null;
  storage: Storage;
  shelfLifeDays: number | null;
}

function origin(p: DescribedProduct): { en: string; vi: string } {
  const country = countryName(p.originCountry);
  if (p.originRegion)
    return { en: `From ${p.originRegion}, ${country.en}.`, vi: `Xuất xứ: ${p.originRegion}, ${country.vi}.` };
  if (p.originCountry !== 'VN') {
    const by = p.manufacturer ? { en: ` by ${p.manufacturer}`, vi: ` của ${p.manufacturer}` } : { en: '', vi: '' };
    return { en: `Imported from ${country.en}${by.en}.`, vi: `Nhập khẩu từ ${country.vi}${by.vi}.` };
  }
  if (p.manufacturer)
    return { en: `Made in Vietnam by ${p.manufacturer}.`, vi: `Sản xuất tại Việt Nam bởi ${p.manufacturer}.` };
  return { en: 'Product of Vietnam.', vi: 'Sản phẩm của Việt Nam.' };
}

export function describeProduct(p: DescribedProduct): { en: string; vi: string } {
  const from = origin(p);
  const keep = STORAGE[p.storage];
  const en = [`${p.nameEn}.`, p.about?.en, from.en, keep.en];
  const vi = [`${p.nameVi}.`, p.about?.vi, from.vi, keep.vi];
  if (p.shelfLifeDays !== null) {
    en.push(`Best within ${p.shelfLifeDays} days of packing.`);
    vi.push(`Dùng ngon nhất trong ${p.shelfLifeDays} ngày kể từ ngày đóng gói.`);
  }
  return { en: en.filter(Boolean).join(' '), vi: vi.filter(Boolean).join(' ') };
}
