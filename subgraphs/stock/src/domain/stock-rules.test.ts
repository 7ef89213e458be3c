import {
  MAX_ADJUSTMENT,
  MAX_RESERVATION_QUANTITY,
  validateAdjustment,
  validateReservation,
  validateWatchedSkus,
  validReservationId,
} from './stock-rules';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { extensions?: { code?: string; field?: string } }).extensions?.field;
  }
};

describe('stock input rules', () => {
  it('accepts a non-zero bounded delta with a reason, trimmed', () => {
    expect(validateAdjustment({ sku: ' SKU-1 ', locationId: ' HCM-1 ', delta: -3, reason: ' damaged ' })).toEqual({
      sku: 'SKU-1',
      locationId: 'HCM-1',
      delta: -3,
      reason: 'damaged',
    });
  });

  it('names the field at fault', () => {
    const adj = { sku: 'SKU-1', locationId: 'L', delta: 1, reason: 'r' };
    expect(code(() => validateAdjustment({ ...adj, delta: 0 }))).toBe('delta');
    expect(code(() => validateAdjustment({ ...adj, delta: 1.5 }))).toBe('delta');
    expect(code(() => validateAdjustment({ ...adj, delta: MAX_ADJUSTMENT + 1 }))).toBe('delta');
    expect(code(() => validateAdjustment({ ...adj, reason: '' }))).toBe('reason');
    expect(code(() => validateAdjustment({ ...adj, sku: 'has space' }))).toBe('sku');
    const res = { sku: 'SKU-1', locationId: 'L', quantity: 1 };
    expect(code(() => validateReservation({ ...res, quantity: 0 }))).toBe('quantity');
    expect(code(() => validateReservation({ ...res, quantity: MAX_RESERVATION_QUANTITY + 1 }))).toBe('quantity');
    expect(code(() => validateReservation({ ...res, locationId: ' ' }))).toBe('locationId');
    expect(code(() => validReservationId('not-a-uuid'))).toBe('reservationId');
  });

  it('folds duplicate watched SKUs and bounds their number', () => {
    expect(validateWatchedSkus(['A', 'A', 'B'])).toEqual(['A', 'B']);
    expect(code(() => validateWatchedSkus([]))).toBe('skus');
    expect(code(() => validateWatchedSkus(Array.from({ length: 101 }, (_, i) => `S${i}`)))).toBe('skus');
  });
});
