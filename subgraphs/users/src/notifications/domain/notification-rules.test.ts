// The pure rules: back-off and giving up, Vietnamese mobile numbers, the texts in both
// languages, and which events become which notifications.
import { makeEvent } from '@grocery/platform';
import { vietnameseMobile } from '../../domain/account';
import { notificationIntentOf } from '../events/notification-events';
import { afterFailure } from './notification';
import { render, shownOrderNumber } from './templates';

describe('retrying a failed message', () => {
  const policy = { baseMs: 1_000, maxAttempts: 5 };
  const now = new Date('2026-12-08T00:00:00Z');
  const wait = (attempts: number) => {
    const r = afterFailure(attempts, policy, now);
    return r.status === 'RETRYING' ? r.nextAttemptAt.getTime() - now.getTime() : r.status;
  };

  it('waits the base, then doubles each time, and is DEAD once the attempts are used up', () => {
    expect([1, 2, 3, 4].map(wait)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(wait(5)).toBe('DEAD');
    expect(wait(9)).toBe('DEAD');
  });

  it('never waits more than 64 times the base', () => {
    const many = { baseMs: 10, maxAttempts: 100 };
    const r = afterFailure(30, many, now);
    expect(r.status).toBe('RETRYING');
    expect(r.nextAttemptAt!.getTime() - now.getTime()).toBe(640);
  });
});

describe('Vietnamese mobile numbers', () => {
  it.each([
    ['0912 345 678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84-387-654-321', '+84387654321'],
    ['(+84) 7.0123.4567', '+84701234567'],
  ])('reads %s as %s', (input, e164) => expect(vietnameseMobile(input)).toBe(e164));

  it.each(['0212345678', '091234567', '+85291234567', '09123456789', 'phone', ''])('refuses %s', (input) =>
    expect(vietnameseMobile(input)).toBeNull(),
  );
});

describe('texts', () => {
  it('confirms an order in Vietnamese with its diacritics and the total in đồng', () => {
    const m = render('ORDER_CONFIRMED', 'vi', { orderNumber: shownOrderNumber('123'), total: 125_000 });
    expect(m.subject).toBe('Đơn hàng GRC-123 của bạn đã được xác nhận');
    expect(m.sms).toBe('Đơn hàng GRC-123 của bạn đã được xác nhận. Tổng cộng: 125.000 ₫.');
    expect(m.emailBody).toMatch(/^Xin chào,\n\n.*\n\nĐội ngũ Grocery$/);
    // Composed (NFC) characters, as typed: "đ" and "ơ" are single code points.
    expect(m.subject).toBe(m.subject.normalize('NFC'));
  });

  it('confirms an order in English', () => {
    const m = render('ORDER_CONFIRMED', 'en', { orderNumber: 'GRC-7', total: 1_250_000 });
    expect(m.subject).toBe('Your order GRC-7 is confirmed');
    expect(m.sms).toBe('Your order GRC-7 is confirmed. Total: VND 1,250,000.');
  });

  it('says why an order was cancelled when its payment failed, and gives the tracking link', () => {
    expect(render('ORDER_CANCELLED', 'vi', { orderNumber: 'GRC-1', reason: 'payment.failed' }).sms).toBe(
      'Đơn hàng GRC-1 của bạn đã bị hủy. Thanh toán không thành công.',
    );
    expect(render('ORDER_CANCELLED', 'en', { orderNumber: 'GRC-1', reason: 'order.cancelled' }).sms).toBe(
      'Your order GRC-1 has been cancelled.',
    );
    expect(
      render('SHIPMENT_COURIER_ASSIGNED', 'en', {
        orderNumber: 'GRC-1',
        courierName: 'Anh Tuấn',
        trackingUrl: 'https://track.example/abc',
      }).sms,
    ).toBe('A courier (Anh Tuấn) has been assigned to your order GRC-1. Track it: https://track.example/abc');
  });
});

describe('which events notify', () => {
  const orderId = '7d0c4f7e-8a51-4f0e-9d0b-4b8e8f0c2a11';
  const ev = (type: string, data: unknown) => makeEvent({ source: 'test', type, subject: orderId, data });
  const kindOf = (type: string, data: unknown) => {
    const p = notificationIntentOf(ev(type, data));
    return p.kind === 'notify' ? p.intent.kind : p.kind;
  };
  const status = (s: string, reason = 'x') => ({ orderId, customerId: null, status: s, reason, version: 2 });

  it('announces the order statuses a customer cares about, once per order and status', () => {
    expect(kindOf('order.status_changed', status('CONFIRMED'))).toBe('ORDER_CONFIRMED');
    expect(kindOf('order.status_changed', status('READY_FOR_PICKUP'))).toBe('ORDER_READY_FOR_PICKUP');
    expect(kindOf('order.status_changed', status('EXPIRED'))).toBe('ORDER_EXPIRED');
    expect(kindOf('order.status_changed', status('PICKING'))).toBe('ignore');
    expect(kindOf('order.status_changed', status('PENDING_PAYMENT'))).toBe('ignore');
    const a = notificationIntentOf(ev('order.status_changed', status('CONFIRMED', 'order.created')));
    const b = notificationIntentOf(ev('order.status_changed', status('CONFIRMED', 'payment.captured')));
    expect(a.kind === 'notify' && b.kind === 'notify' && a.intent.dedupeKey === b.intent.dedupeKey).toBe(true);
  });

  it('announces failed payments, refunds, substitutes, returns and deliveries', () => {
    const pay = (s: string) => ({ orderId, paymentId: 'p1', provider: 'STRIPE', status: s, amount: 1 });
    expect(kindOf('payment.status_changed', pay('FAILED'))).toBe('PAYMENT_FAILED');
    expect(kindOf('payment.status_changed', pay('PARTIALLY_REFUNDED'))).toBe('PAYMENT_REFUNDED');
    expect(kindOf('payment.status_changed', pay('CAPTURED'))).toBe('ignore');
    expect(
      kindOf('order.substitution_proposed', { orderId, substitutionId: 's1', linePosition: 1, sku: 'A', quantity: 2 }),
    ).toBe('SUBSTITUTION_PROPOSED');
    expect(kindOf('return.refunded', { orderId, returnId: 'r1', amount: 5_000 })).toBe('RETURN_REFUNDED');
    const ship = (s: string, purpose = 'delivery') => ({
      shipmentId: 'sh1',
      orderId,
      customerId: null,
      status: s,
      provider: 'SIMULATOR',
      trackingUrl: 'https://track.example/1',
      eta: null,
      courierName: null,
      version: 3,
      purpose,
    });
    expect(kindOf('delivery.shipment_status_changed', ship('COURIER_ASSIGNED'))).toBe('SHIPMENT_COURIER_ASSIGNED');
    expect(kindOf('delivery.shipment_status_changed', ship('DELIVERED'))).toBe('SHIPMENT_DELIVERED');
    expect(kindOf('delivery.shipment_status_changed', ship('FAILED'))).toBe('SHIPMENT_FAILED');
    expect(kindOf('delivery.shipment_status_changed', ship('IN_TRANSIT'))).toBe('ignore');
    expect(kindOf('delivery.shipment_status_changed', ship('DELIVERED', 'return'))).toBe('ignore');
  });

  it('says what is wrong with a malformed event instead of guessing', () => {
    const p = notificationIntentOf(ev('order.status_changed', { status: 'CONFIRMED' }));
    expect(p).toEqual({ kind: 'malformed', reason: expect.stringContaining('data.orderId') });
    expect(kindOf('order.placed', { orderId })).toBe('ignore');
  });
});
