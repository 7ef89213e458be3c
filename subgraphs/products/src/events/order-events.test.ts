import { makeEvent } from '@grocery/platform';
import { parseOrderEvent } from './order-events';

const placed = (data: unknown, subject = 'o-1') =>
  makeEvent({ source: 'grocery/orders', type: 'order.placed', subject, data });

describe('parseOrderEvent', () => {
  it('sums a SKU listed twice in one order, so the order counts once for it', () => {
    const parsed = parseOrderEvent(
      placed({
        orderId: 'o-1',
        placedAt: '2026-11-25T17:30:00+00:00',
        lines: [
          { sku: 'SKU-1', quantity: 2 },
          { sku: 'SKU-2', quantity: 1 },
          { sku: 'SKU-1', quantity: 3 },
        ],
      }),
    );
    expect(parsed).toEqual({
      kind: 'placed',
      orderId: 'o-1',
      placedAt: new Date('2026-11-25T17:30:00Z'),
      units: [
        { sku: 'SKU-1', quantity: 5 },
        { sku: 'SKU-2', quantity: 1 },
      ],
      customerId: null,
      couponCodes: [],
    });
  });

  it('reads the customer and coupon codes (once each) when the order has them', () => {
    const parsed = parseOrderEvent(
      placed({
        orderId: 'o-1',
        placedAt: '2026-11-25T10:00:00Z',
        customerId: 'u-1',
        couponCodes: ['WELCOME30', 'WELCOME30', 'FRESHWEEK'],
        lines: [{ sku: 'SKU-1', quantity: 1 }],
      }),
    );
    expect(parsed).toMatchObject({ kind: 'placed', customerId: 'u-1', couponCodes: ['WELCOME30', 'FRESHWEEK'] });
    expect(
      parseOrderEvent(
        placed({
          orderId: 'o-1',
          placedAt: '2026-11-25T10:00:00Z',
          couponCodes: [''],
          lines: [{ sku: 'S', quantity: 1 }],
        }),
      ),
    ).toMatchObject({ kind: 'malformed' });
  });

  it('calls an order malformed when its subject is another order or a line has no units', () => {
    const data = { orderId: 'o-1', placedAt: '2026-11-25T10:00:00Z', lines: [{ sku: 'SKU-1', quantity: 1 }] };
    expect(parseOrderEvent(placed(data, 'o-2'))).toMatchObject({ kind: 'malformed' });
    expect(parseOrderEvent(placed({ ...data, lines: [{ sku: 'SKU-1', quantity: 0 }] }))).toEqual({
      kind: 'malformed',
      reason: expect.stringContaining('data.lines.0.quantity'),
    });
  });

  it('ignores the other order events', () => {
    expect(
      parseOrderEvent(makeEvent({ source: 'grocery/orders', type: 'order.status_changed', subject: 'o-1', data: {} })),
    ).toEqual({
      kind: 'ignored',
    });
  });

  it('reads order.cancelled and order.expired as closed, and refuses one about another order', () => {
    for (const type of ['order.cancelled', 'order.expired'])
      expect(
        parseOrderEvent(makeEvent({ source: 'grocery/orders', type, subject: 'o-1', data: { orderId: 'o-1' } })),
      ).toEqual({
        kind: 'closed',
        orderId: 'o-1',
      });
    expect(
      parseOrderEvent(
        makeEvent({ source: 'grocery/orders', type: 'order.cancelled', subject: 'o-1', data: { orderId: 'o-2' } }),
      ).kind,
    ).toBe('malformed');
    expect(
      parseOrderEvent(makeEvent({ source: 'grocery/orders', type: 'order.cancelled', subject: 'o-1', data: {} })).kind,
    ).toBe('malformed');
  });
});
