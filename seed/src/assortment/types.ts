// The hand-written assortment's shape: what each leaf category sells, and how names are built.
import type { Dietary, Storage, Unit } from '../model';

/** Who makes or where grows a product; `en`/`vi` is what appears in the product name. */
export interface Maker {
  en: string;
  vi: string;
  brand: string | null;
  manufacturer: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Set for produce sold by origin ("Đà Lạt"). */
  region: string | null;
  priceFactor: number;
}

export interface Variant {
  en: string;
  vi: string;
  priceFactor: number;
  /** Labels the variant always carries ("chay" is vegan, "hữu cơ" is organic). */
  labels: readonly Dietary[];
  /** Labels the variant can never carry even when its line could (shrimp-flavoured noodles). */
  excludes: readonly Dietary[];
  tags: readonly string[];
}

export interface PackFormat {
  count: number;
  en: string;
  vi: string;
  unit: Unit;
}

export interface Size {
  en: string;
  vi: string;
  /** VND for one item at price factor 1, before rounding. */
  price: number;
  unit: Unit;
  /** Multipacks and cases this size is also sold in. */
  packs: readonly PackFormat[];
}

export interface ProductLine {
  /** Name templates with {maker}, {variant} and {size}; empty parts collapse. */
  en: string;
  vi: string;
  makers: readonly Maker[];
  variants: readonly Variant[];
  sizes: readonly Size[];
  /** Labels a product of this line may be given when the catalog fills its dietary quotas. */
  eligible: readonly Dietary[];
  tags: readonly string[];
  about?: { en: string; vi: string };
  /** Overrides of the leaf's defaults (UHT milk sits beside pasteurised milk). */
  perishable?: boolean;
  shelfLifeDays?: number;
  storage?: Storage;
}

export interface Leaf {
  slug: string;
  en: string;
  vi: string;
  /** Relative share of the catalog's SKUs. */
  weight: number;
  storage: Storage;
  perishable: boolean;
  shelfLifeDays?: number;
  lines: readonly ProductLine[];
}

export interface Department {
  slug: string;
  en: string;
  vi: string;
  leaves: readonly Leaf[];
}
