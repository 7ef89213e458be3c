// placeOrder as a saga with compensation. In order:
//   1. claim the idempotency key (scope: the customer, or the guest's cart) — a retry, even a
//      concurrent one, gets the first attempt's answer and takes nothing itself;
//   2. price the cart (products) and compare with the total the client saw;
//   3. reserve every line at the fulfilment location, all or nothing (stock);
//   4. claim one use of each coupon, all or nothing (products; the last use goes to one order);
//   4b. book the held delivery or pickup slot (delivery; a delivery needs one): its fee is the
//      order's delivery fee;
//   5. write the order, its lines and its payment (PENDING_PAYMENT, due in the hold window);
//   6. start the payment (the provider answers later, by webhook) — or confirm at once for cash.
// A refusal at any step undoes the steps before it (release stock, coupon uses and the slot, cancel
// the order) and is remembered under the key. A crash mid-way leaves the key IN_PROGRESS: the
// sweeper then releases what the attempt took (stock and coupons are released by order id).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { AppError, ErrorCode, badInput, notFound, type Logger } from '@grocery/platform';
import type { CartRecord, CartStore } from '../data/cart-store';
import type { CheckoutStore } from '../data/checkout-store';
import type { NewOrder, OrderStore } from '../data/order-store';
import { CheckoutAbandoned } from '../data/order-store';
import { orderEvents } from '../events/order-events';
import { PaymentProviderUnavailable, type PaymentProviderName } from '../payments/payment-provider';
import type { CartService, Caller } from './cart-service';
import { countCheckout } from './checkout-metrics';
import { shelfUnits, type Address, type OrderRecord } from './order';
import type { FulfilmentType } from './order-rules';
import type { PaymentProviders, PaymentService } from './payment-service';
import type { CatalogPort, DeliveryPort, StockPort } from './ports';

export interface PlaceOrderInput {
  cartId: string;
  idempotencyKey: string;
  email?: string | null;
  /** The total the client showed the customer; a different total now answers PriceChanged. */
  expectedTotal?: number | null;
  fulfilment: { type: FulfilmentType; locationId: string; address?: Address | null; slotHoldId?: string | null };
  payment: { provider: PaymentProviderName; token?: string | null; returnUrl?: string | null };
}

export type CheckoutRefusal =
  | {
      errorCode: 'OUT_OF_STOCK';
      locationId: string;
      lines: { sku: string; requested: number; available: number; substitutes: string[] }[];
    }
  | { errorCode: 'PRICE_CHANGED'; expectedTotal: number; total: number }
  | { errorCode: 'COUPON_NOT_APPLICABLE'; code: string; reason: string }
  | { errorCode: 'PAYMENT_DECLINED'; reason: string; orderId: string }
  | { errorCode: 'PAYMENT_UNAVAILABLE'; provider: PaymentProviderName }
  | { errorCode: 'CART_EMPTY' }
  /** The slot hold could not be booked: expired, unknown, of another kind, or the address is outside its zone. */
  | { errorCode: 'SLOT_HOLD_INVALID'; reason: string; detail: string };

export type PlaceOrderOutcome =
  { kind: 'order'; order: OrderRecord; accessToken: string | null } | { kind: 'refused'; refusal: CheckoutRefusal };

export interface CheckoutOptions {
  holdSeconds: number;
  maxPendingPerCustomer: number;
  weighedMarginPercent: number;
  enabledProviders: readonly PaymentProviderName[];
  /** How long a retry waits for the first attempt with its key to finish. */
  waitForFirstMs: number;
}

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
const WEIGHED_UNITS = new Set(['kg', 'g', '100g']);

export class CheckoutService {
  constructor(
    private readonly carts: CartService,
    private readonly cartStore: CartStore,
    private readonly checkouts: CheckoutStore,
    private readonly orders: OrderStore,
    private readonly catalog: CatalogPort,
    private readonly stock: StockPort,
    private readonly payments: PaymentService,
    private readonly providers: PaymentProviders,
    private readonly opts: CheckoutOptions,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
    private readonly delivery: DeliveryPort,
  ) {}

  async placeOrder(caller: Caller, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
    this.validate(caller, input);
    const cart = await this.carts.cart(caller, input.cartId);
    if (!cart) throw notFound('No such cart (a guest cart is deleted after a day without changes).');
    const customerId = caller.identity?.userId ?? null;
    const scope = customerId ? `customer:${customerId}` : `cart:${cart.id}`;
    const requestHash = hashOf({
      cart: cart.id,
      f: input.fulfilment,
      p: input.payment.provider,
      e: input.expectedTotal ?? null,
    });
    const orderId = randomUUID();
    const { claimed, row } = await this.checkouts.claim({ scope, key: input.idempotencyKey, orderId, requestHash });
    if (!claimed) {
      if (row.requestHash !== requestHash)
        throw new AppError(ErrorCode.CONFLICT, 'This idempotencyKey was used for another checkout; use a new key.', {
          field: 'idempotencyKey',
        });
      return this.answerOf(scope, input.idempotencyKey, customerId);
    }
    try {
      const outcome = await this.run(caller, input, cart, { scope, orderId, customerId });
      countCheckout(input, outcome);
      return outcome;
    } catch (err) {
      // Whatever went wrong after the key was claimed: give back what this attempt may hold, and
      // free the key (unless an order was written under it), so that a retry with it tries again.
      await this.compensate(orderId);
      await this.checkouts
        .release(scope, input.idempotencyKey)
        .catch((e) => this.logger.warn({ err: e }, 'could not free a failed checkout’s key'));
      throw err;
    }
  }

  private async run(
    caller: Caller,
    input: PlaceOrderInput,
    cart: CartRecord,
    ids: { scope: string; orderId: string; customerId: string | null },
  ): Promise<PlaceOrderOutcome> {
    const refuse = async (refusal: CheckoutRefusal, taken: boolean): Promise<PlaceOrderOutcome> => {
      if (taken) await this.compensate(ids.orderId);
      await this.checkouts.refuse(ids.scope, input.idempotencyKey, refusal);
      return { kind: 'refused', refusal };
    };
    if (cart.lines.length === 0) return refuse({ errorCode: 'CART_EMPTY' }, false);
    if (ids.customerId && (await this.orders.pendingCount(ids.customerId)) >= this.opts.maxPendingPerCustomer)
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `You have ${this.opts.maxPendingPerCustomer} orders waiting for payment; pay or cancel one first.`,
        { limit: 'pendingOrders', max: this.opts.maxPendingPerCustomer },
      );

    // 2. Price, as the cart shows it (the order keeps these prices).
    const checkoutCart: CartRecord = {
      ...cart,
      fulfilmentType: input.fulfilment.type,
      locationId: input.fulfilment.locationId,
    };
    const [priced, products, bundles] = await Promise.all([
      this.carts.price(caller, checkoutCart),
      this.catalog.products(
        cart.lines.filter((l) => l.sku).map((l) => l.sku!),
        caller.locale,
      ),
      this.catalog.bundles(
        cart.lines.filter((l) => l.bundleId).map((l) => l.bundleId!),
        caller.locale,
      ),
    ]);
    const unsellable = cart.lines.find((l) =>
      l.sku ? !products.get(l.sku)?.sellable : !bundles.get(l.bundleId!)?.sellable,
    );
    if (unsellable)
      throw badInput(`${unsellable.sku ?? unsellable.bundleId} is no longer sold; remove it from the cart.`, 'cartId');
    const rejected = priced.rejectedCoupons[0];
    if (rejected)
      return refuse({ errorCode: 'COUPON_NOT_APPLICABLE', code: rejected.code, reason: rejected.reason }, false);
    // With a slot, the delivery fee is the slot's, known once it is booked (after the stock).
    const slotHoldId = input.fulfilment.slotHoldId ?? null;
    if (!slotHoldId && input.expectedTotal != null && input.expectedTotal !== priced.total)
      return refuse({ errorCode: 'PRICE_CHANGED', expectedTotal: input.expectedTotal, total: priced.total }, false);

    // 3. Stock, all or nothing, held for the payment window (and a little longer: the order expires first).
    const components = (id: string) => bundles.get(id)?.components ?? [];
    const units = shelfUnits(cart.lines.map((l) => ({ ...l, components: l.bundleId ? components(l.bundleId) : null })));
    const reservation = await this.stock.reserve(
      ids.orderId,
      input.fulfilment.locationId,
      units,
      this.opts.holdSeconds + 120,
    );
    if (!reservation.ok) {
      const lines = await Promise.all(
        reservation.short.map(async (s) => ({
          ...s,
          substitutes: await this.substitutesFor(s.sku, products.get(s.sku)?.categoryId, input.fulfilment.locationId),
        })),
      );
      return refuse({ errorCode: 'OUT_OF_STOCK', locationId: input.fulfilment.locationId, lines }, true);
    }

    // 4. Coupons: the authoritative check of their limits.
    const codes = priced.appliedCoupons;
    const claim = await this.catalog.claimCoupons(ids.orderId, codes, ids.customerId);
    if (!claim.ok) return refuse({ errorCode: 'COUPON_NOT_APPLICABLE', code: claim.code, reason: claim.reason }, true);

    // 4b. The held slot, booked for this order: its fee replaces the cart's flat estimate.
    let deliveryFee = priced.deliveryFee;
    let number: string | undefined;
    if (slotHoldId) {
      number = await this.orders.nextNumber();
      const booking = await this.delivery.book({
        holdId: slotHoldId,
        orderId: ids.orderId,
        orderNumber: number,
        customerId: ids.customerId,
        clientKey: caller.clientKey,
        kind: input.fulfilment.type,
        locationId: input.fulfilment.locationId,
        address: input.fulfilment.type === 'DELIVERY' ? (input.fulfilment.address ?? null) : null,
        value: priced.total - priced.deliveryFee,
        codAmount: input.payment.provider === 'CASH_ON_DELIVERY' ? priced.total - priced.deliveryFee : 0,
        itemCount: cart.lines.reduce((n, l) => n + l.quantity, 0),
        locale: caller.locale,
      });
      if (!booking.ok)
        return refuse({ errorCode: 'SLOT_HOLD_INVALID', reason: booking.reason, detail: booking.message }, true);
      deliveryFee = input.fulfilment.type === 'DELIVERY' ? booking.fee : 0;
    }
    const total = priced.total - priced.deliveryFee + deliveryFee;
    if (slotHoldId && input.expectedTotal != null && input.expectedTotal !== total)
      return refuse({ errorCode: 'PRICE_CHANGED', expectedTotal: input.expectedTotal, total }, true);

    // 5. The order.
    const accessToken = ids.customerId ? null : guestToken(ids.scope, ids.orderId);
    const weighed = cart.lines
      .filter((l) => l.sku && WEIGHED_UNITS.has(products.get(l.sku)!.unit))
      .reduce((sum, l) => sum + (priced.lines.get(l.id)?.total ?? 0), 0);
    const provider = input.payment.provider;
    const authorize =
      provider === 'CASH_ON_DELIVERY' ? total : total + Math.ceil((weighed * this.opts.weighedMarginPercent) / 100);
    const order: NewOrder = {
      id: ids.orderId,
      customerId: ids.customerId,
      email: input.email?.trim().toLowerCase() ?? null,
      accessTokenHash: accessToken ? sha256(accessToken) : null,
      locale: caller.locale,
      fulfilmentType: input.fulfilment.type,
      locationId: input.fulfilment.locationId,
      address: input.fulfilment.type === 'DELIVERY' ? (input.fulfilment.address ?? null) : null,
      couponCodes: codes,
      subtotal: priced.subtotal,
      discount: priced.discount,
      deliveryFee,
      total,
      number,
      paymentDueAt: new Date(Date.now() + this.opts.holdSeconds * 1000),
      lines: cart.lines.map((l, position) => {
        const p = priced.lines.get(l.id)!;
        const item = l.sku ? products.get(l.sku)! : bundles.get(l.bundleId!)!;
        return {
          position,
          sku: l.sku,
          bundleId: l.bundleId,
          components: l.bundleId ? components(l.bundleId) : null,
          names: item.names,
          quantity: l.quantity,
          unitPrice: p.unitPrice,
          discount: p.discount,
          total: p.total,
          substitution: l.substitution,
          substituteSku: l.substituteSku,
          note: l.note,
        };
      }),
      payment: { id: randomUUID(), provider, amount: authorize },
    };
    let created: OrderRecord;
    try {
      created = await this.orders.create(order, { scope: ids.scope, key: input.idempotencyKey }, (o) => [
        orderEvents.statusChanged({
          orderId: o.id,
          customerId: o.customerId,
          status: o.status,
          paymentStatus: 'PENDING',
          version: o.version,
          reason: 'order.created',
        }),
      ]);
    } catch (err) {
      if (err instanceof CheckoutAbandoned)
        throw new AppError(ErrorCode.CONFLICT, 'This checkout took too long and was undone; place the order again.', {
          retryable: true,
        });
      throw err;
    }
    this.afterCommit();
    await this.cartStore.clear(cart.id).catch((err) => this.logger.warn({ err }, 'could not empty a checked-out cart'));

    // 6. Payment.
    if (provider === 'CASH_ON_DELIVERY') {
      const confirmed = await this.payments.acceptCashOnDelivery(created.id);
      return { kind: 'order', order: confirmed ?? created, accessToken };
    }
    return this.startPayment(created, input, caller, accessToken);
  }

  private async startPayment(
    order: OrderRecord,
    input: PlaceOrderInput,
    caller: Caller,
    accessToken: string | null,
  ): Promise<PlaceOrderOutcome> {
    const payment = order.payment!;
    const provider = this.providers.get(payment.provider)!;
    try {
      const outcome = await provider.authorize({
        paymentId: payment.id,
        orderId: order.id,
        amount: payment.amount,
        currency: 'VND',
        token: input.payment.token ?? undefined,
        returnUrl: input.payment.returnUrl ?? undefined,
        customerEmail: order.email ?? undefined,
        locale: caller.locale,
        description: `${caller.locale === 'vi' ? 'Đơn hàng' : 'Order'} #${order.number}`,
      });
      if (outcome.status === 'DECLINED') {
        await this.payments.apply({
          eventId: `authorize:${payment.id}`,
          provider: payment.provider,
          paymentId: payment.id,
          providerRef: outcome.providerRef ?? '',
          status: 'FAILED',
          amount: payment.amount,
          occurredAt: new Date(),
          reason: outcome.reason,
        });
        const refusal: CheckoutRefusal = { errorCode: 'PAYMENT_DECLINED', reason: outcome.reason, orderId: order.id };
        return { kind: 'refused', refusal };
      }
      await this.orders.setPaymentStart(payment.id, outcome);
      if (outcome.status === 'PENDING') {
        // What the client needs to go on (clientSecret / redirectUrl), without reading the order again.
        const started = {
          ...payment,
          providerRef: outcome.providerRef,
          clientSecret: outcome.clientSecret ?? null,
          redirectUrl: outcome.redirectUrl ?? null,
        };
        return { kind: 'order', order: { ...order, payment: started }, accessToken };
      }
      if (outcome.status === 'AUTHORIZED')
        await this.payments.apply({
          eventId: `authorize:${payment.id}`,
          provider: payment.provider,
          paymentId: payment.id,
          providerRef: outcome.providerRef,
          status: 'AUTHORIZED',
          amount: payment.amount,
          occurredAt: new Date(),
        });
      return { kind: 'order', order: (await this.orders.byId(order.id))!, accessToken };
    } catch (err) {
      if (!(err instanceof PaymentProviderUnavailable))
        this.logger.error({ err, orderId: order.id }, 'payment start failed');
      // Nothing may stay held for an order whose payment could not start.
      await this.payments.apply({
        eventId: `unavailable:${payment.id}`,
        provider: payment.provider,
        paymentId: payment.id,
        providerRef: '',
        status: 'FAILED',
        amount: payment.amount,
        occurredAt: new Date(),
        reason: 'provider_unavailable',
      });
      return { kind: 'refused', refusal: { errorCode: 'PAYMENT_UNAVAILABLE', provider: payment.provider } };
    }
  }

  /** A retry's answer: the first attempt's order or refusal, once it has one. */
  private async answerOf(scope: string, key: string, customerId: string | null): Promise<PlaceOrderOutcome> {
    const deadline = Date.now() + this.opts.waitForFirstMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      const row = await this.checkouts.get(scope, key);
      // The first attempt failed (or was undone) and freed its key: nothing was placed.
      if (!row)
        throw new AppError(
          ErrorCode.CONFLICT,
          'The first checkout with this idempotencyKey did not complete; place the order again.',
          {
            retryable: true,
          },
        );
      if (row.state !== 'IN_PROGRESS') {
        const order = row.state === 'PLACED' ? await this.orders.byId(row.orderId) : null;
        if (order) return { kind: 'order', order, accessToken: customerId ? null : guestToken(scope, order.id) };
        return { kind: 'refused', refusal: row.refusal as CheckoutRefusal };
      }
      if (Date.now() > deadline)
        throw new AppError(ErrorCode.CONFLICT, 'A checkout with this idempotencyKey is still running; retry shortly.', {
          retryable: true,
        });
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Gives back what an attempt may hold: stock and coupon uses, by its order id (idempotent). */
  async compensate(orderId: string): Promise<void> {
    await this.payments.releaseHolds(orderId);
  }

  /** Checkouts a crashed process left IN_PROGRESS: released, and their keys closed. */
  async sweepAbandoned(olderThan: Date): Promise<number> {
    let n = 0;
    for (const row of await this.checkouts.abandoned(olderThan, 50)) {
      if (!(await this.checkouts.release(row.scope, row.key))) continue;
      await this.compensate(row.orderId);
      n++;
    }
    return n;
  }

  private async substitutesFor(sku: string, categoryId: string | undefined, locationId: string): Promise<string[]> {
    if (!categoryId) return [];
    try {
      return await this.catalog.substitutes(sku, categoryId, locationId, 3);
    } catch (err) {
      this.logger.warn({ err, sku }, 'could not find substitutes');
      return [];
    }
  }

  private validate(caller: Caller, input: PlaceOrderInput): void {
    if (!KEY.test(input.idempotencyKey))
      throw badInput('idempotencyKey: 8 to 100 letters, digits or _.:- (a UUID is ideal)', 'idempotencyKey');
    if (!caller.identity && !input.email) throw badInput('A guest checkout needs an email for the receipt.', 'email');
    if (input.email && !EMAIL.test(input.email.trim())) throw badInput('email is not an email address', 'email');
    if (input.expectedTotal != null && (!Number.isSafeInteger(input.expectedTotal) || input.expectedTotal < 0))
      throw badInput('expectedTotal is an amount in VND (a whole number)', 'expectedTotal');
    if (!this.opts.enabledProviders.includes(input.payment.provider) || !this.providers.get(input.payment.provider))
      throw badInput(`Payment provider ${input.payment.provider} is not available here.`, 'payment.provider');
    if (input.payment.token && input.payment.token.length > 200)
      throw badInput('payment.token is too long', 'payment.token');
    const f = input.fulfilment;
    if (!f.locationId || f.locationId.length > 100)
      throw badInput('fulfilment.locationId is required', 'fulfilment.locationId');
    if (f.slotHoldId != null && (f.slotHoldId.length === 0 || f.slotHoldId.length > 100))
      throw badInput('fulfilment.slotHoldId is a hold’s id from holdSlot', 'fulfilment.slotHoldId');
    if (f.type === 'DELIVERY') {
      if (!f.slotHoldId)
        throw badInput(
          'A delivery needs a delivery slot: hold one with holdSlot and pass its id.',
          'fulfilment.slotHoldId',
        );
      const a = f.address;
      if (!a) throw badInput('A delivery needs an address.', 'fulfilment.address');
      for (const k of ['recipient', 'phone', 'line1', 'ward', 'province'] as const)
        if (!a[k]?.trim() || a[k].length > 200)
          throw badInput(`fulfilment.address.${k} is required (at most 200 characters)`, `fulfilment.address.${k}`);
      if (!/^\+?[0-9 ]{9,15}$/.test(a.phone))
        throw badInput('fulfilment.address.phone is not a phone number', 'fulfilment.address.phone');
    }
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hashOf = (v: unknown) => sha256(JSON.stringify(v));

/**
 * A guest order's access token: derived from the guest's cart id (their capability, known only
 * to them and kept in the checkout row) and the order id, so a retry can hand out the same token
 * again; only its hash is stored on the order.
 */
function guestToken(scope: string, orderId: string): string {
  return createHmac('sha256', scope).update(orderId).digest('base64url');
}

export const orderAccessTokenHash = sha256;
