// Requests the provider tests share: one order from a Ho Chi Minh City store to a customer a few
// kilometres away, and the return of it.
import { randomUUID } from 'node:crypto';
import type { BookRequest, Place, QuoteRequest } from '../delivery-provider';

export const store: Place = {
  name: 'Cửa hàng Bến Thành',
  phone: '0281234567',
  address: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'Thành phố Hồ Chí Minh',
  latitude: 10.7725,
  longitude: 106.698,
};

export const customer: Place = {
  name: 'Trần Thị Mai',
  phone: '0909876543',
  address: '45 Nguyễn Thị Minh Khai',
  ward: 'Phường Xuân Hòa',
  province: 'Thành phố Hồ Chí Minh',
  latitude: 10.7801,
  longitude: 106.6905,
};

export function quoteRequest(over: Partial<QuoteRequest> = {}): QuoteRequest {
  return {
    origin: store,
    destination: customer,
    parcel: {
      reference: 'GRC-1042',
      items: [
        { name: 'Gạo ST25 5kg', quantity: 1 },
        { name: 'Sữa tươi 1L', quantity: 2 },
      ],
      weightGrams: 7_200,
      value: 320_000,
      codAmount: 0,
    },
    service: 'INSTANT',
    ...over,
  };
}

export function bookRequest(over: Partial<BookRequest> = {}): BookRequest {
  return { ...quoteRequest(), shipmentId: randomUUID(), ...over };
}

/** The return of an order: picked up at the customer, brought to the store. */
export function returnRequest(over: Partial<BookRequest> = {}): BookRequest {
  return bookRequest({ origin: customer, destination: store, ...over });
}
