// The seed catalog's data shapes. Richer than today's tables on purpose: later migrations add
// columns (descriptions, dietary labels, expiry...) and the loader only has to map more fields.

/** Selling units, the subset of the products domain's UNITS that the seed uses. */
export type Unit = 'kg' | 'g' | 'l' | 'ml' | 'piece' | 'pack' | 'bottle' | 'box' | 'bag';

export const DIETARY_LABELS = ['vegan', 'vegetarian', 'gluten_free', 'halal', 'organic', 'lactose_free'] as const;
export type Dietary = (typeof DIETARY_LABELS)[number];

/** How a product is kept; drives the storage sentence in descriptions. */
export type Storage = 'chilled' | 'frozen' | 'ambient' | 'produce' | 'non_food';

export type LocationKind = 'STORE' | 'WAREHOUSE' | 'PICKUP_POINT';

export interface SeedCategory {
  id: string;
  nameEn: string;
  nameVi: string;
  parentId: string | null;
}

export interface SeedProduct {
  sku: string;
  nameEn: string;
  nameVi: string;
  descriptionEn: string;
  descriptionVi: string;
  /** Always a leaf category. */
  categoryId: string;
  /** Whole VND (the currency has no minor unit in practice). */
  priceAmount: number;
  priceCurrency: 'VND';
  unit: Unit;
  /** Net content as printed on the pack, e.g. "1L", "Box of 10" / "hộp 10 quả". */
  sizeEn: string;
  sizeVi: string;
  /** Items in a multipack or case; 1 for a single item. */
  packCount: number;
  /** Null for unbranded fresh produce sold by origin. */
  brand: string | null;
  manufacturer: string | null;
  /** ISO 3166-1 alpha-2. */
  originCountry: string;
  /** Growing or fishing region for fresh produce, e.g. "Đà Lạt". */
  originRegion: string | null;
  storage: Storage;
  isPerishable: boolean;
  shelfLifeDays: number | null;
  expiresAt: Date | null;
  dietary: Dietary[];
  tags: string[];
  imageUrls: string[];
  createdAt: Date;
}

export interface SeedLocation {
  id: string;
  nameEn: string;
  nameVi: string;
  kind: LocationKind;
  city: 'Ho Chi Minh City' | 'Hanoi';
  address: string;
  latitude: number;
  longitude: number;
}

export interface SeedStockLevel {
  sku: string;
  locationId: string;
  onHand: number;
  /** Below this the stock domain raises a low-stock alert (task 2.2). */
  lowStockThreshold: number;
}

/** A meal kit or gift box made of seeded products (bundles.ts). */
export interface SeedBundle {
  /** Derived from the seed and slug, so a reload finds the same row. */
  id: string;
  slug: string;
  nameEn: string;
  nameVi: string;
  descriptionEn: string;
  descriptionVi: string;
  /** Below the components' regular total. */
  priceAmount: number;
  priceCurrency: 'VND';
  imageUrls: string[];
  items: { sku: string; quantity: number }[];
}

export interface Catalog {
  categories: SeedCategory[];
  products: SeedProduct[];
  locations: SeedLocation[];
  stockLevels: SeedStockLevel[];
  bundles: SeedBundle[];
}
