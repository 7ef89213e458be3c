// Country names for the origin line of product descriptions, keyed by ISO 3166-1 alpha-2.
const COUNTRIES: Record<string, { en: string; vi: string }> = {
  AU: { en: 'Australia', vi: 'Úc' },
  BE: { en: 'Belgium', vi: 'Bỉ' },
  CA: { en: 'Canada', vi: 'Canada' },
  CH: { en: 'Switzerland', vi: 'Thụy Sĩ' },
  CL: { en: 'Chile', vi: 'Chile' },
  DE: { en: 'Germany', vi: 'Đức' },
  DK: { en: 'Denmark', vi: 'Đan Mạch' },
  EG: { en: 'Egypt', vi: 'Ai Cập' },
  ES: { en: 'Spain', vi: 'Tây Ban Nha' },
  FR: { en: 'France', vi: 'Pháp' },
  GB: { en: 'the United Kingdom', vi: 'Anh' },
  HK: { en: 'Hong Kong', vi: 'Hồng Kông' },
  ID: { en: 'Indonesia', vi: 'Indonesia' },
  IT: { en: 'Italy', vi: 'Ý' },
  JP: { en: 'Japan', vi: 'Nhật Bản' },
  KR: { en: 'South Korea', vi: 'Hàn Quốc' },
  LK: { en: 'Sri Lanka', vi: 'Sri Lanka' },
  MY: { en: 'Malaysia', vi: 'Malaysia' },
  NL: { en: 'the Netherlands', vi: 'Hà Lan' },
  NO: { en: 'Norway', vi: 'Na Uy' },
  NZ: { en: 'New Zealand', vi: 'New Zealand' },
  PE: { en: 'Peru', vi: 'Peru' },
  PH: { en: 'the Philippines', vi: 'Philippines' },
  SG: { en: 'Singapore', vi: 'Singapore' },
  TH: { en: 'Thailand', vi: 'Thái Lan' },
  TR: { en: 'Turkey', vi: 'Thổ Nhĩ Kỳ' },
  TW: { en: 'Taiwan', vi: 'Đài Loan' },
  US: { en: 'the United States', vi: 'Mỹ' },
  VN: { en: 'Vietnam', vi: 'Việt Nam' },
  ZA: { en: 'South Africa', vi: 'Nam Phi' },
};

export function countryName(code: string): { en: string; vi: string } {
  const name = COUNTRIES[code];
  if (!name) throw new RangeError(`unknown country code ${code}`);
  return name;
}
