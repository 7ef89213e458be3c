// How many whole kits can be sold: each component limits the kit to floor(available / quantity),
// and the scarcest component decides. No GraphQL or Prisma types here.
import { availableOf, type SkuAvailability } from './stock-level';

export interface KitComponent {
  sku: string;
  quantity: number;
}

/**
 * Whole kits available at `locationId` (a kit is picked from one place), or across every
 * location when it is null (each component summed over locations, as Product.availability does).
 * `availability` is aligned with `components`. A kit without components is not sellable: 0.
 */
export function kitsAvailable(
  components: readonly KitComponent[],
  availability: readonly SkuAvailability[],
  locationId: string | null,
): number {
  if (components.length === 0) return 0;
  let kits = Number.POSITIVE_INFINITY;
  components.forEach((c, i) => {
    const a = availability[i];
    const units =
      locationId === null
        ? a.available
        : a.levels.filter((l) => l.locationId === locationId).reduce((sum, l) => sum + availableOf(l), 0);
    kits = Math.min(kits, Math.floor(units / Math.max(1, c.quantity)));
  });
  return kits;
}
