// Zones and their wards: a small table read on every listing, kept in process (ReferenceData)
// and reloaded at once when staff change a zone.
import { ReferenceData } from '@grocery/platform';
import type { DeliveryDb } from '../data/db';

export interface WardInfo {
  code: string;
  province: string;
  nameEn: string;
  nameVi: string;
}

export interface Zone {
  id: string;
  province: string;
  nameEn: string;
  nameVi: string;
  locationIds: string[];
  providers: string[];
  active: boolean;
  wards: WardInfo[];
}

export class ZoneDirectory {
  private readonly zones: ReferenceData<string, Zone>;

  constructor(db: DeliveryDb) {
    this.zones = new ReferenceData(
      async () => {
        const rows = await db.deliveryZone.findMany({
          include: { wards: { include: { ward: true }, orderBy: { wardCode: 'asc' } } },
          orderBy: { id: 'asc' },
        });
        return rows.map((z) => ({
          id: z.id,
          province: z.province,
          nameEn: z.nameEn,
          nameVi: z.nameVi,
          locationIds: z.locationIds,
          providers: z.providers,
          active: z.active,
          wards: z.wards.map((w) => w.ward),
        }));
      },
      (z) => z.id,
    );
  }

  async all(): Promise<Zone[]> {
    return [...(await this.zones.get()).values()].filter((z) => z.active);
  }

  async get(id: string): Promise<Zone | null> {
    const [zone] = await this.zones.many([id]);
    return zone && zone.active ? zone : null;
  }

  /** The zone a ward is in (the ward's code, e.g. "hcm-ben-thanh"), if it is delivered to. */
  async forWard(wardCode: string): Promise<Zone | null> {
    for (const zone of await this.all()) if (zone.wards.some((w) => w.code === wardCode)) return zone;
    return null;
  }
}
