// Opening stock: every product sits in at least one warehouse and a few stores; some shelves are
// empty, warehouses hold more, perishables are stocked thinner.
import type { SeedLocation, SeedProduct, SeedStockLevel } from './model';
import { createRandom } from './random';

export function stockLevelsFor(
  products: readonly SeedProduct[],
  locations: readonly SeedLocation[],
  seed: number,
): SeedStockLevel[] {
  const random = createRandom(seed, 'stock');
  const warehouses = locations.filter((l) => l.kind === 'WAREHOUSE');
  const levels: SeedStockLevel[] = [];
  for (const product of products) {
    const fresh = product.isPerishable;
    const held = locations.filter((l) =>
      random.chance(l.kind === 'WAREHOUSE' ? 0.9 : l.kind === 'STORE' ? 0.55 : 0.08),
    );
    if (!held.some((l) => l.kind === 'WAREHOUSE')) held.unshift(random.pick(warehouses));
    for (const location of locations.filter((l) => held.includes(l))) {
      if (location.kind === 'WAREHOUSE') {
        levels.push({
          sku: product.sku,
          locationId: location.id,
          onHand: fresh ? random.between(20, 400) : random.between(100, 3000),
          lowStockThreshold: fresh ? 20 : 50,
        });
      } else if (location.kind === 'STORE') {
        const empty = random.chance(0.12);
        levels.push({
          sku: product.sku,
          locationId: location.id,
          onHand: empty ? 0 : random.between(1, fresh ? 40 : 150),
          lowStockThreshold: 5,
        });
      } else {
        levels.push({ sku: product.sku, locationId: location.id, onHand: random.between(0, 20), lowStockThreshold: 2 });
      }
    }
  }
  return levels;
}
