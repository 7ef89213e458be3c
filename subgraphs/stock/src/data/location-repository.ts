// Prisma access for locations: every read is one query, whatever the batch size.
import type { LocationFilter, LocationRecord } from '../domain/location';
import type { StockDb } from './db';

const columns = { id: true, nameEn: true, nameVi: true, kind: true, city: true, address: true } as const;

export class LocationRepository {
  constructor(private readonly db: StockDb) {}

  list(filter: LocationFilter): Promise<LocationRecord[]> {
    return this.db.location.findMany({
      where: {
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.city ? { city: { equals: filter.city, mode: 'insensitive' } } : {}),
      },
      select: columns,
      orderBy: { id: 'asc' },
    });
  }
}
