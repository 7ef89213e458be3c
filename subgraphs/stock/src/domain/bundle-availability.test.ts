import { kitsAvailable } from './bundle-availability';
import { summariseAvailability, type StockLevelRecord } from './stock-level';

const level = (sku: string, locationId: string, onHand: number, reserved = 0): StockLevelRecord => ({
  sku,
  locationId,
  onHand,
  reserved,
  updatedAt: new Date(0),
});

describe('kitsAvailable', () => {
  const rice = summariseAvailability('RICE', [level('RICE', 'q1', 10), level('RICE', 'q3', 4)]);
  const egg = summariseAvailability('EGG', [level('EGG', 'q1', 7, 2), level('EGG', 'q3', 9)]);

  it('is the minimum over components of floor(available / quantity), across every location', () => {
    // rice 14 / 2 = 7, eggs (5 + 9) / 3 = 4
    expect(
      kitsAvailable(
        [
          { sku: 'RICE', quantity: 2 },
          { sku: 'EGG', quantity: 3 },
        ],
        [rice, egg],
        null,
      ),
    ).toBe(4);
  });

  it('counts one location only when given, reservations excluded', () => {
    // q1: rice 10 / 2 = 5, eggs (7 - 2) / 3 = 1
    expect(
      kitsAvailable(
        [
          { sku: 'RICE', quantity: 2 },
          { sku: 'EGG', quantity: 3 },
        ],
        [rice, egg],
        'q1',
      ),
    ).toBe(1);
    expect(
      kitsAvailable(
        [
          { sku: 'RICE', quantity: 2 },
          { sku: 'EGG', quantity: 3 },
        ],
        [rice, egg],
        'q3',
      ),
    ).toBe(2);
  });

  it('is 0 where a component is not stocked at all, and for a kit without components', () => {
    const none = summariseAvailability('SALT', []);
    expect(
      kitsAvailable(
        [
          { sku: 'RICE', quantity: 1 },
          { sku: 'SALT', quantity: 1 },
        ],
        [rice, none],
        null,
      ),
    ).toBe(0);
    expect(kitsAvailable([{ sku: 'RICE', quantity: 1 }], [rice], 'nowhere')).toBe(0);
    expect(kitsAvailable([], [], null)).toBe(0);
  });
});
