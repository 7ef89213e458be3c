import type { RequestInfo } from '@grocery/platform';
import type { ZoneDirectory } from './domain/zone-directory';

export interface DeliveryServices {
  zones: ZoneDirectory;
}

export interface DeliveryContext extends DeliveryServices {
  request: RequestInfo;
}

export function createDeliveryContext(request: RequestInfo, services: DeliveryServices): DeliveryContext {
  return { ...services, request };
}
