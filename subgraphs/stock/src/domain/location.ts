// Where stock lives: stores, warehouses and pickup points. No GraphQL or Prisma types here.
export const LOCATION_KINDS = ['STORE', 'WAREHOUSE', 'PICKUP_POINT'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface LocationRecord {
  id: string;
  nameEn: string;
  nameVi: string;
  kind: LocationKind;
  city: string;
  address: string;
}

export interface LocationFilter {
  kind?: LocationKind;
  city?: string;
}
