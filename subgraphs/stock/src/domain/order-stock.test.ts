import { sameLines, validateOrderStockRequest, validLines } from './order-stock';
import { crossedLowStock } from './stock-change';

const request = { orderId: ' o-1 ', locationId: 'S1', lines: [{ sku: 'B', quantity: 1 }], holdSeconds: 60 };

describe('order stock rules', () => {
  it('folds a SKU listed twice into one line, in SKU order', () => {
    expect(
      validLines([
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 5 },
    ]);
  });

  it('bounds quantities, line counts and hold times', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as { extensions: { code: string } }).extensions.code;
      }
      return 'ok';
    };
    expect(code(() => validLines([{ sku: 'A', quantity: 0 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => validLines([{ sku: 'A', quantity: 10_001 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => validLines([]))).toBe('BAD_USER_INPUT');
    expect(code(() => validLines([], true))).toBe('ok');
    expect(code(() => validLines(Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }))))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(() => validateOrderStockRequest({ ...request, holdSeconds: 29 }))).toBe('BAD_USER_INPUT');
    expect(code(() => validateOrderStockRequest({ ...request, holdSeconds: 86_401 }))).toBe('BAD_USER_INPUT');
    expect(validateOrderStockRequest(request).orderId).toBe('o-1');
  });

  it('compares lines by SKU and quantity', () => {
    expect(sameLines([{ sku: 'A', quantity: 1 }], [{ sku: 'A', quantity: 1 }])).toBe(true);
    expect(sameLines([{ sku: 'A', quantity: 1 }], [{ sku: 'A', quantity: 2 }])).toBe(false);
    expect(sameLines([{ sku: 'A', quantity: 1 }], [])).toBe(false);
  });

  it('calls a level low only when a change takes it from at or above the threshold to below it', () => {
    expect(crossedLowStock({ previousAvailable: 5, available: 4, lowStockThreshold: 5 })).toBe(true);
    expect(crossedLowStock({ previousAvailable: 4, available: 3, lowStockThreshold: 5 })).toBe(false);
    expect(crossedLowStock({ previousAvailable: 6, available: 5, lowStockThreshold: 5 })).toBe(false);
    expect(crossedLowStock({ previousAvailable: 0, available: 0, lowStockThreshold: 0 })).toBe(false);
  });
});
