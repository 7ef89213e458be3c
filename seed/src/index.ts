// @grocery/seed: a deterministic Vietnamese grocery catalog and the loader that writes it.
export { RECIPES as BUNDLE_RECIPES, generateBundles } from './bundles';
export { catalogCapacity, DEFAULT_REFERENCE_DATE, generateCatalog, type CatalogOptions } from './catalog';
export { DIETARY_SHARE } from './dietary';
export { isSeeded, loadSeed, type LoadSeedOptions, type SeedCounts, type SeedResult } from './load';
export { LOCATIONS } from './locations';
export {
  DIETARY_LABELS,
  type Catalog,
  type Dietary,
  type SeedBundle,
  type LocationKind,
  type SeedCategory,
  type SeedLocation,
  type SeedProduct,
  type SeedStockLevel,
  type Storage,
  type Unit,
} from './model';
