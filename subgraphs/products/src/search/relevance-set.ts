// The search relevance set: realistic queries and what must be in their top 5 on the seeded
// catalog (`generateCatalog({ skus: 5000 })`, seed 1). Expectations are predicates on the
// deterministic seed's names, brands and categories, so they hold for any engine and survive
// SKU renumbering; a full product name pins one product. gateway/test/search.test.ts runs it.

/** Matches a product when every given condition holds (text comparisons ignore case). */
export interface ProductExpectation {
  /** The Vietnamese name contains this. */
  nameVi?: string;
  /** The English name contains this. */
  nameEn?: string;
  /** The brand contains this. */
  brand?: string;
  /** The category id starts with this (a parent id covers its sub-categories). */
  category?: string;
}

export type QueryKind = 'vi' | 'vi-unaccented' | 'en' | 'typo' | 'brand' | 'exact' | 'category';

export interface RelevanceCase {
  query: string;
  kind: QueryKind;
  /** Accept-Language of the request; results must not depend on it, so it varies. */
  lang: 'vi' | 'en';
  /** Each expectation must be met by at least one of the top 5 results. */
  top5: ProductExpectation[];
}

export interface CandidateProduct {
  names: { en: string; vi: string };
  brand: string | null;
  category: { id: string };
}

const has = (text: string | null, part: string | undefined) =>
  part === undefined || (text ?? '').toLocaleLowerCase('vi').includes(part.toLocaleLowerCase('vi'));

export function meets(p: CandidateProduct, e: ProductExpectation): boolean {
  return (
    has(p.names.vi, e.nameVi) &&
    has(p.names.en, e.nameEn) &&
    has(p.brand, e.brand) &&
    (e.category === undefined || p.category.id.startsWith(e.category))
  );
}

const vi = (query: string, nameVi: string, extra: ProductExpectation = {}): RelevanceCase => ({
  query,
  kind: 'vi',
  lang: 'vi',
  top5: [{ nameVi, ...extra }],
});
const unaccented = (query: string, nameVi: string, extra: ProductExpectation = {}): RelevanceCase => ({
  query,
  kind: 'vi-unaccented',
  lang: 'vi',
  top5: [{ nameVi, ...extra }],
});
const en = (query: string, nameEn: string): RelevanceCase => ({ query, kind: 'en', lang: 'en', top5: [{ nameEn }] });
const typo = (query: string, e: ProductExpectation, lang: 'vi' | 'en' = 'en'): RelevanceCase => ({
  query,
  kind: 'typo',
  lang,
  top5: [e],
});
const brand = (query: string, brandName: string, lang: 'vi' | 'en' = 'vi'): RelevanceCase => ({
  query,
  kind: 'brand',
  lang,
  top5: [{ brand: brandName }],
});

export const RELEVANCE_SET: readonly RelevanceCase[] = [
  // Vietnamese, with diacritics
  vi('sữa tươi', 'Sữa tươi'),
  vi('cà phê', 'Cà phê'),
  vi('nước mắm nam ngư', 'Nước mắm Nam Ngư'),
  vi('bánh mì', 'Bánh mì'),
  vi('gạo ST25', 'Gạo ST25'),
  vi('sữa chua', 'Sữa chua'),
  vi('trứng gà', 'Trứng gà'),
  vi('dầu gội', 'Dầu gội'),
  vi('kem đánh răng', 'Kem đánh răng'),
  vi('chả giò', 'Chả giò'),
  vi('nước rửa chén', 'Nước rửa chén'),
  vi('đậu hũ', 'Đậu hũ'),
  vi('sầu riêng', 'Sầu riêng'),
  vi('rau muống', 'Rau muống'),
  vi('giấy vệ sinh', 'Giấy vệ sinh'),
  vi('bia', 'Bia '),
  // Vietnamese typed without diacritics (most phone keyboards, most searches)
  unaccented('sua tuoi', 'Sữa tươi'),
  unaccented('ca phe', 'Cà phê'),
  unaccented('sua tuoi vinamilk', 'Sữa tươi', { brand: 'Vinamilk' }),
  unaccented('nuoc mam', 'Nước mắm'),
  unaccented('banh mi', 'Bánh mì'),
  unaccented('dau an', 'Dầu ăn'),
  unaccented('thit bo', 'Thịt bò'),
  unaccented('ca hoi', 'Cá hồi'),
  unaccented('mi hao hao', 'Mì Hảo Hảo'),
  unaccented('nuoc tuong', 'Nước tương'),
  unaccented('tuong ot cholimex', 'Tương ớt Cholimex'),
  unaccented('sua dac ong tho', 'Sữa đặc', { brand: 'Ông Thọ' }),
  unaccented('hat dieu', 'Hạt điều'),
  unaccented('xuc xich', 'Xúc xích'),
  unaccented('nuoc mam nam ngu', 'Nước mắm Nam Ngư'),
  // English
  en('fresh milk', 'Fresh Milk'),
  en('fish sauce', 'Fish Sauce'),
  en('instant coffee', 'Instant Coffee'),
  en('toothpaste', 'Toothpaste'),
  en('ice cream', 'Ice Cream'),
  en('salmon', 'Salmon'),
  en('chicken eggs', 'Chicken Eggs'),
  en('durian', 'Durian'),
  en('peanut butter', 'Peanut Butter'),
  en('dragon fruit', 'Dragon Fruit'),
  // Typos and spelling variants
  typo('choclate', { nameEn: 'Chocolate' }),
  typo('bánh mỳ', { nameVi: 'Bánh mì' }, 'vi'),
  typo('sửa tươi', { nameVi: 'Sữa tươi' }, 'vi'),
  typo('heiniken', { brand: 'Heineken' }),
  typo('shampo', { nameEn: 'Shampoo' }),
  typo('detergant', { nameEn: 'Detergent' }),
  typo('capuccino', { nameEn: 'Cappuccino' }),
  typo('tooth paste', { nameEn: 'Toothpaste' }),
  // Brands
  brand('vinamilk', 'Vinamilk'),
  brand('nescafe', 'Nescafé'),
  brand('trung nguyen', 'Trung Nguyên'),
  brand('chinsu', 'Chin-su'),
  brand('highlands', 'Highlands Coffee', 'en'),
  brand('coca cola', 'Coca-Cola', 'en'),
  brand('th true milk', 'TH true MILK'),
  brand('kinh do', 'Kinh Đô'),
  brand('Đà Lạt GAP', 'Đà Lạt GAP'),
  // One exact product, typed as on the pack
  {
    query: 'Kem đánh răng Closeup ngừa sâu răng 180g',
    kind: 'exact',
    lang: 'vi',
    top5: [{ nameVi: 'Kem đánh răng Closeup ngừa sâu răng 180g' }],
  },
  {
    query: 'nuoc mam nam ngu 35 do dam 750ml',
    kind: 'exact',
    lang: 'vi',
    top5: [{ nameVi: 'Nước mắm Nam Ngư 35 độ đạm 750ml' }],
  },
  { query: 'Heineken Silver', kind: 'exact', lang: 'en', top5: [{ nameEn: 'Heineken Silver' }] },
  // A department by name
  { query: 'trai cay', kind: 'category', lang: 'vi', top5: [{ category: 'cat-fruit' }] },
  { query: 'hải sản', kind: 'category', lang: 'vi', top5: [{ category: 'cat-seafood' }] },
];
