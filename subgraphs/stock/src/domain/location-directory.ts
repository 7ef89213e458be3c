// Reads of the locations that hold stock (few, rarely changed: no cache beyond the request's loader).
import type { LocationRepository } from '../data/location-repository';
import type { LocationFilter, LocationRecord } from './location';

export class LocationDirectory {
  constructor(private readonly repo: LocationRepository) {}

  /** Locations for the given ids, aligned with the input (null when unknown). */
  async byIds(ids: readonly string[]): Promise<(LocationRecord | null)[]> {
    const rows = await this.repo.byIds(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  list(filter: LocationFilter = {}): Promise<LocationRecord[]> {
    return this.repo.list({ kind: filter.kind, city: filter.city?.trim() || undefined });
  }
}
