// Reads of the locations that hold stock: few and rarely changed, so every location is kept
// in process for 30 s (a product page names several; this saves a query per request).
import { ReferenceData } from '@grocery/platform';
import type { LocationRepository } from '../data/location-repository';
import type { LocationFilter, LocationRecord } from './location';

export class LocationDirectory {
  private readonly all: ReferenceData<string, LocationRecord>;

  constructor(private readonly repo: LocationRepository) {
    this.all = new ReferenceData(
      () => repo.list({}),
      (l) => l.id,
    );
  }

  /** Locations for the given ids, aligned with the input (null when unknown). */
  byIds(ids: readonly string[]): Promise<(LocationRecord | null)[]> {
    return this.all.many(ids);
  }

  list(filter: LocationFilter = {}): Promise<LocationRecord[]> {
    return this.repo.list({ kind: filter.kind, city: filter.city?.trim() || undefined });
  }
}
