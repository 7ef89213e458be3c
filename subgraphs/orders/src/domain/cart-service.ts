// Carts: guests' (the id is the capability) and signed-in customers' (one each, kept), lines of
// SKUs or bundles with a substitution preference and a note, priced by products' pricing
// function with the cart's coupons, plus the fulfilment fee. Merged into the customer's cart
// when a guest signs in.
import {
  AppError,
  ErrorCode,
  badInput,
  hasRole,
  isUuid,
  notFound,
  type Identity,
  type Locale,
} from '@grocery/platform';
import { CartLimitExceeded, type CartLineChange, type CartRecord, type CartStore } from '../data/cart-store';
import type { SubstitutionPreference } from './order';
import type { FulfilmentType } from './order-rules';
import type { CatalogPort, StockPort } from './ports';

export interface Caller {
  identity?: Identity;
  /** Who refused coupon codes count against (user:<id> / ip:<address>). */
  clientKey: string;
  locale: Locale;
}

export interface CartLineRequest {
  sku?: string | null;
  bundleId?: string | null;
  quantity: number;
  substitution?: SubstitutionPreference | null;
  substituteSku?: string | null;
  note?: string | null;
}

export interface CartLimits {
  maxLines: number;
  maxQuantity: number;
  maxCouponCodes: number;
  guestIdleHours: number;
  deliveryFee: number;
}

export interface PricedCartLine {
  lineId: string;
  unitPrice: number;
  discount: number;
  total: number;
}

export interface PricedCartTotals {
  lines: Map<string, PricedCartLine>;
  subtotal: number;
  discount: number;
  deliveryFee: number;
  total: number;
  rejectedCoupons: { code: string; reason: string }[];
  appliedCoupons: string[];
}

const NOTE_MAX = 200;

export class CartService {
  constructor(
    private readonly carts: CartStore,
    private readonly catalog: CatalogPort,
    private readonly stock: StockPort,
    private readonly limits: CartLimits,
  ) {}

  /** A cart the caller may see: their own, or a guest cart by its id; null otherwise (as if none). */
  async cart(caller: Caller, id: string): Promise<CartRecord | null> {
    if (!isUuid(id)) return null;
    const cart = await this.carts.get(id);
    if (!cart) return null;
    if (cart.ownerId && cart.ownerId !== caller.identity?.userId && !hasRole(caller.identity, 'staff')) return null;
    return cart;
  }

  /** A customer's own cart (the caller is checked by the resolver). */
  cartOf(customerId: string): Promise<CartRecord | null> {
    return this.carts.ofOwner(customerId);
  }

  /** Deletes guest carts idle past their expiry. */
  sweepIdle(now = new Date()): Promise<number> {
    return this.carts.deleteExpired(now);
  }

  async addToCart(caller: Caller, cartId: string | null, lines: readonly CartLineRequest[]): Promise<CartRecord> {
    const changes = await this.validLines(lines, caller.locale);
    const cart = await this.writableCart(caller, cartId);
    try {
      return await this.carts.addLines(cart.id, changes, {
        maxLines: this.limits.maxLines,
        maxQuantity: this.limits.maxQuantity,
        expiresAt: this.expiryFor(cart),
      });
    } catch (err) {
      throw this.limitError(err);
    }
  }

  async updateLine(
    caller: Caller,
    cartId: string,
    lineId: string,
    change: {
      quantity?: number | null;
      substitution?: SubstitutionPreference | null;
      substituteSku?: string | null;
      note?: string | null;
    },
  ): Promise<CartRecord> {
    const cart = await this.writableCart(caller, cartId);
    if (change.quantity != null && (change.quantity < 0 || change.quantity > this.limits.maxQuantity))
      throw badInput(`quantity must be 0 (remove) to ${this.limits.maxQuantity}`, 'quantity');
    this.checkPreferences(change);
    if (change.substituteSku) await this.requireSellable([change.substituteSku], caller.locale, 'substituteSku');
    const updated = await this.carts.updateLine(
      cart.id,
      lineId,
      {
        ...(change.quantity != null ? { quantity: change.quantity } : {}),
        ...(change.substitution ? { substitution: change.substitution } : {}),
        ...(change.substituteSku !== undefined ? { substituteSku: change.substituteSku } : {}),
        ...(change.note !== undefined ? { note: change.note?.trim() || null } : {}),
      },
      this.expiryFor(cart),
    );
    if (!updated) throw notFound('This cart has no such line.');
    return updated;
  }

  async setFulfilment(
    caller: Caller,
    cartId: string,
    f: { locationId?: string | null; fulfilmentType?: FulfilmentType | null; couponCodes?: string[] | null },
  ): Promise<CartRecord> {
    const cart = await this.writableCart(caller, cartId);
    let couponCodes: string[] | undefined;
    if (f.couponCodes) {
      couponCodes = [...new Set(f.couponCodes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
      if (couponCodes.length > this.limits.maxCouponCodes)
        throw new AppError(ErrorCode.BAD_USER_INPUT, `At most ${this.limits.maxCouponCodes} coupon codes per cart.`, {
          field: 'couponCodes',
          limit: 'couponCodes',
          max: this.limits.maxCouponCodes,
        });
      if (couponCodes.some((c) => c.length > 64))
        throw badInput('A coupon code has at most 64 characters.', 'couponCodes');
    }
    if (f.locationId !== undefined && f.locationId !== null && (f.locationId.length === 0 || f.locationId.length > 100))
      throw badInput('locationId is not a location id', 'locationId');
    return this.carts.setFulfilment(
      cart.id,
      {
        ...(f.locationId ? { locationId: f.locationId } : {}),
        ...(f.fulfilmentType ? { fulfilmentType: f.fulfilmentType } : {}),
        ...(couponCodes ? { couponCodes } : {}),
      },
      this.expiryFor(cart),
    );
  }

  /**
   * After sign-in: the guest cart's lines join the customer's cart. Quantities are summed; what
   * the guest cart adds is capped by what is available (at the cart's store when one is chosen),
   * never taking away what the customer's own cart already held. The guest cart is deleted.
   */
  async mergeGuestCart(caller: Caller, guestCartId: string): Promise<CartRecord> {
    const who = caller.identity;
    if (!who) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to merge a cart into yours.');
    const guest = isUuid(guestCartId) ? await this.carts.get(guestCartId) : null;
    const mine = await this.carts.ensureOwned(who.userId);
    if (!guest || guest.id === mine.id) return mine;
    if (guest.ownerId) throw notFound('No such guest cart.');
    const locationId = mine.locationId ?? guest.locationId;
    const skus = guest.lines.filter((l) => l.sku).map((l) => l.sku!);
    const available = await this.stock.available(skus, locationId);
    const changes: CartLineChange[] = [];
    for (const l of guest.lines) {
      const held = mine.lines.find((m) => (l.sku ? m.sku === l.sku : m.bundleId === l.bundleId))?.quantity ?? 0;
      const cap = l.sku ? Math.max(held, available.get(l.sku) ?? 0) : this.limits.maxQuantity;
      const add = Math.min(l.quantity, Math.max(0, Math.min(cap, this.limits.maxQuantity) - held));
      if (add > 0)
        changes.push({
          sku: l.sku,
          bundleId: l.bundleId,
          quantity: add,
          substitution: l.substitution,
          substituteSku: l.substituteSku,
          note: l.note,
        });
    }
    let merged = mine;
    try {
      if (changes.length > 0)
        merged = await this.carts.addLines(mine.id, changes, {
          maxLines: this.limits.maxLines,
          maxQuantity: this.limits.maxQuantity,
          expiresAt: null,
        });
    } catch (err) {
      throw this.limitError(err);
    }
    if (!mine.locationId && guest.locationId)
      merged = await this.carts.setFulfilment(
        mine.id,
        { locationId: guest.locationId, fulfilmentType: guest.fulfilmentType },
        null,
      );
    if (guest.couponCodes.length > 0 && mine.couponCodes.length === 0)
      merged = await this.carts.setFulfilment(
        mine.id,
        { couponCodes: guest.couponCodes.slice(0, this.limits.maxCouponCodes) },
        null,
      );
    await this.carts.delete(guest.id);
    return merged;
  }

  /** Prices a cart as checkout will: SKU lines through products' pricing, bundles at their price, the fee. */
  async price(caller: Caller, cart: CartRecord): Promise<PricedCartTotals> {
    const skuLines = cart.lines.filter((l) => l.sku);
    const bundleLines = cart.lines.filter((l) => l.bundleId);
    const [priced, bundles] = await Promise.all([
      this.catalog.price(
        skuLines.map((l) => ({ sku: l.sku!, quantity: l.quantity })),
        cart.couponCodes,
        { customerId: caller.identity?.userId ?? null, clientKey: caller.clientKey },
      ),
      this.catalog.bundles(
        bundleLines.map((l) => l.bundleId!),
        caller.locale,
      ),
    ]);
    const lines = new Map<string, PricedCartLine>();
    for (const l of skuLines) {
      const p = priced.lines.find((x) => x.sku === l.sku);
      if (p) lines.set(l.id, { lineId: l.id, unitPrice: p.unitPrice, discount: p.discount, total: p.total });
    }
    let bundleTotal = 0;
    for (const l of bundleLines) {
      const b = bundles.get(l.bundleId!);
      const unitPrice = b?.price ?? 0;
      bundleTotal += unitPrice * l.quantity;
      lines.set(l.id, { lineId: l.id, unitPrice, discount: 0, total: unitPrice * l.quantity });
    }
    const deliveryFee = cart.fulfilmentType === 'DELIVERY' && cart.lines.length > 0 ? this.limits.deliveryFee : 0;
    return {
      lines,
      subtotal: priced.subtotal + bundleTotal,
      discount: priced.lineDiscount + priced.orderDiscount,
      deliveryFee,
      total: priced.total + bundleTotal + deliveryFee,
      rejectedCoupons: priced.rejectedCoupons,
      appliedCoupons: priced.appliedCoupons,
    };
  }

  /** Lines checked before anything is written: shape, bounds, and that each item is on sale. */
  private async validLines(lines: readonly CartLineRequest[], locale: Locale): Promise<CartLineChange[]> {
    if (lines.length === 0) throw badInput('Give at least one line.', 'lines');
    if (lines.length > this.limits.maxLines)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `At most ${this.limits.maxLines} lines per cart.`, {
        field: 'lines',
        limit: 'lines',
        max: this.limits.maxLines,
      });
    const merged = new Map<string, CartLineChange>();
    for (const [i, l] of lines.entries()) {
      const sku = l.sku?.trim() || null;
      const bundleId = l.bundleId?.trim() || null;
      if ((sku === null) === (bundleId === null))
        throw badInput(`lines[${i}]: give either sku or bundleId`, `lines.${i}`);
      if ((sku && sku.length > 64) || (bundleId && !isUuid(bundleId)))
        throw badInput(`lines[${i}]: ${sku ? 'sku' : 'bundleId'} is not one of ours`, `lines.${i}`);
      if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > this.limits.maxQuantity)
        throw new AppError(ErrorCode.BAD_USER_INPUT, `lines[${i}]: quantity must be 1 to ${this.limits.maxQuantity}`, {
          field: `lines.${i}.quantity`,
          limit: 'quantity',
          max: this.limits.maxQuantity,
        });
      this.checkPreferences(l, i);
      const key = sku ? `s:${sku}` : `b:${bundleId}`;
      const prev = merged.get(key);
      merged.set(key, {
        sku,
        bundleId,
        quantity: (prev?.quantity ?? 0) + l.quantity,
        ...(l.substitution ? { substitution: l.substitution } : {}),
        ...(l.substituteSku !== undefined ? { substituteSku: l.substituteSku?.trim() || null } : {}),
        ...(l.note !== undefined ? { note: l.note?.trim() || null } : {}),
      });
    }
    const changes = [...merged.values()];
    const skus = changes.flatMap((c) => (c.sku ? [c.sku] : []));
    const substitutes = changes.flatMap((c) => (c.substituteSku ? [c.substituteSku] : []));
    await this.requireSellable([...skus, ...substitutes], locale, 'lines');
    const bundleIds = changes.flatMap((c) => (c.bundleId ? [c.bundleId] : []));
    if (bundleIds.length > 0) {
      const bundles = await this.catalog.bundles(bundleIds, locale);
      const missing = bundleIds.filter((id) => !bundles.get(id)?.sellable);
      if (missing.length > 0) throw badInput(`No bundle on sale with id ${missing.join(', ')}`, 'lines');
    }
    return changes;
  }

  private checkPreferences(
    l: { substitution?: SubstitutionPreference | null; substituteSku?: string | null; note?: string | null },
    i?: number,
  ): void {
    const at = i === undefined ? '' : `lines[${i}]: `;
    if (l.substitution === 'SPECIFIC' && !l.substituteSku?.trim())
      throw badInput(`${at}a SPECIFIC substitution names its substituteSku`, 'substituteSku');
    if (l.substituteSku && l.substitution && l.substitution !== 'SPECIFIC')
      throw badInput(`${at}substituteSku goes with substitution SPECIFIC`, 'substituteSku');
    if (l.note && l.note.length > NOTE_MAX) throw badInput(`${at}a note has at most ${NOTE_MAX} characters`, 'note');
  }

  private async requireSellable(skus: string[], locale: Locale, field: string): Promise<void> {
    if (skus.length === 0) return;
    const products = await this.catalog.products([...new Set(skus)], locale);
    const missing = skus.filter((s) => !products.get(s)?.sellable);
    if (missing.length > 0) throw badInput(`No product on sale with SKU ${[...new Set(missing)].join(', ')}`, field);
  }

  private async writableCart(caller: Caller, cartId: string | null): Promise<CartRecord> {
    if (cartId === null) {
      if (caller.identity) return this.carts.ensureOwned(caller.identity.userId);
      return this.carts.createGuest(this.guestExpiry());
    }
    const cart = await this.cart(caller, cartId);
    if (!cart) throw notFound('No such cart (a guest cart is deleted after a day without changes).');
    return cart;
  }

  private expiryFor(cart: CartRecord): Date | null {
    return cart.ownerId ? null : this.guestExpiry();
  }

  private guestExpiry(): Date {
    return new Date(Date.now() + this.limits.guestIdleHours * 3_600_000);
  }

  private limitError(err: unknown): Error {
    if (!(err instanceof CartLimitExceeded)) return err as Error;
    return new AppError(
      ErrorCode.BAD_USER_INPUT,
      err.limit === 'lines' ? `A cart holds at most ${err.max} lines.` : `A line holds at most ${err.max} units.`,
      { field: 'lines', limit: err.limit, max: err.max },
    );
  }
}
