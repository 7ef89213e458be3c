// Which couriers a zone's shipments go to, in which order: DELIVERY_ZONE_PROVIDERS over the zone's
// own list, only enabled couriers, then every other enabled one.
import type { Logger } from '@grocery/platform';
import type { ShipmentStore } from '../data/shipment-store';
import type { DeliveryProvider, DeliveryProviderName } from '../providers';
import { ShipmentService } from './shipment-service';
import type { SlotService } from './slot-service';
import type { ZoneDirectory } from './zone-directory';

const courier = (name: DeliveryProviderName) => ({ name }) as DeliveryProvider;
const zones = {
  get: async (id: string) => (id === 'hcm-central' ? { id, providers: ['GRAB', 'GHN', 'VIETTELPOST'] } : null),
} as unknown as ZoneDirectory;

function service(enabled: DeliveryProviderName[], zoneProviders?: Record<string, string[]>) {
  return new ShipmentService(
    {} as ShipmentStore,
    {} as SlotService,
    zones,
    enabled.map(courier),
    { maxAttempts: 3, retryBaseMs: 1000, zoneProviders },
    {} as Logger,
    () => undefined,
  );
}

const names = async (s: ShipmentService, zone: string | null) => (await s.couriersFor(zone)).map((c) => c.name);

describe('couriers for a zone', () => {
  it('follows the zone’s own list among the enabled couriers, then the other enabled ones', async () => {
    expect(await names(service(['SIMULATOR', 'GHN', 'GRAB']), 'hcm-central')).toEqual(['GRAB', 'GHN', 'SIMULATOR']);
    expect(await names(service(['SIMULATOR']), 'hcm-central')).toEqual(['SIMULATOR']);
    expect(await names(service(['VIETTELPOST', 'SIMULATOR']), 'elsewhere')).toEqual(['VIETTELPOST', 'SIMULATOR']);
    expect(await names(service(['GHN']), null)).toEqual(['GHN']);
  });

  it('takes DELIVERY_ZONE_PROVIDERS over the zone’s list', async () => {
    const s = service(['GRAB', 'GHN', 'VIETTELPOST'], { 'hcm-central': ['VIETTELPOST', 'SIMULATOR', 'GHN'] });
    expect(await names(s, 'hcm-central')).toEqual(['VIETTELPOST', 'GHN', 'GRAB']);
    expect(await names(s, 'hn-east')).toEqual(['GRAB', 'GHN', 'VIETTELPOST']);
  });
});
