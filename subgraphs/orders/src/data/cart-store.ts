// Carts in PostgreSQL. Writes to one cart lock its row first, so concurrent adds to one cart
// (double taps, two tabs) sum correctly and the line bound holds.
import { randomUUID } from 'node:crypto';
import type { OrdersDb } from './db';
import type { Prisma } from './generated/client';
import type { SubstitutionPreference } from '../domain/order';
import type { FulfilmentType } from '../domain/order-rules';

export interface CartLineRecord {
  id: string;
  sku: string | null;
  bundleId: string | null;
  quantity: number;
  substitution: SubstitutionPreference;
  substituteSku: string | null;
  note: string | null;
  addedAt: Date;
}

export interface CartRecord {
  id: string;
  ownerId: string | null;
  locationId: string | null;
  fulfilmentType: FulfilmentType;
  couponCodes: string[];
  expiresAt: Date | null;
  updatedAt: Date;
  lines: CartLineRecord[];
}

export interface CartLineChange {
  sku: string | null;
  bundleId: string | null;
  /** Added to the line's quantity (or the new line's quantity). */
  quantity: number;
  substitution?: SubstitutionPreference;
  substituteSku?: string | null;
  note?: string | null;
}

type Tx = Prisma.TransactionClient;
const INCLUDE = { lines: { orderBy: [{ addedAt: 'asc' as const }, { id: 'asc' as const }] } };

function toRecord(c: Prisma.CartGetPayload<{ include: typeof INCLUDE }>): CartRecord {
  return {
    id: c.id,
    ownerId: c.ownerId,
    locationId: c.locationId,
    fulfilmentType: c.fulfilmentType as FulfilmentType,
    couponCodes: c.couponCodes,
    expiresAt: c.expiresAt,
    updatedAt: c.updatedAt,
    lines: c.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      bundleId: l.bundleId,
      quantity: l.quantity,
      substitution: l.substitution as SubstitutionPreference,
      substituteSku: l.substituteSku,
      note: l.note,
      addedAt: l.addedAt,
    })),
  };
}

/** A cart write would pass a bound: nothing was written. */
export class CartLimitExceeded extends Error {
  constructor(
    readonly limit: 'lines' | 'quantity',
    readonly max: number,
  ) {
    super(`cart ${limit} limit ${max}`);
  }
}

export class CartStore {
  constructor(private readonly db: OrdersDb) {}

  async get(id: string, now = new Date()): Promise<CartRecord | null> {
    const [c] = await this.documents(`c.id = $1::uuid`, id);
    if (!c || (c.expiresAt && c.expiresAt <= now)) return null;
    return c;
  }

  async ofOwner(ownerId: string): Promise<CartRecord | null> {
    const [c] = await this.documents(`c.owner_id = $1`, ownerId);
    return c ?? null;
  }

  /** Carts with their lines as one JSON document each: one statement per read (every cart answer reads one). */
  private async documents(
    where: string,
    value: string,
    db: Pick<Tx, '$queryRawUnsafe'> = this.db,
  ): Promise<CartRecord[]> {
    const rows = await db.$queryRawUnsafe<{ doc: string }[]>(
      `SELECT json_build_object(
         'id', c.id, 'ownerId', c.owner_id, 'locationId', c.location_id, 'fulfilmentType', c.fulfilment_type,
         'couponCodes', c.coupon_codes, 'expiresAt', c.expires_at AT TIME ZONE 'UTC', 'updatedAt', c.updated_at AT TIME ZONE 'UTC',
         'lines', coalesce((SELECT json_agg(json_build_object(
             'id', l.id, 'sku', l.sku, 'bundleId', l.bundle_id, 'quantity', l.quantity, 'substitution', l.substitution,
             'substituteSku', l.substitute_sku, 'note', l.note, 'addedAt', l.added_at AT TIME ZONE 'UTC') ORDER BY l.added_at, l.id)
           FROM cart_line l WHERE l.cart_id = c.id), '[]'::json))::text AS doc
         FROM cart c WHERE ${where}`,
      value,
    );
    return rows.map((r) => {
      const d = JSON.parse(r.doc) as Omit<CartRecord, 'expiresAt' | 'updatedAt' | 'lines'> & {
        expiresAt: string | null;
        updatedAt: string;
        lines: (Omit<CartLineRecord, 'addedAt'> & { addedAt: string })[];
      };
      return {
        ...d,
        couponCodes: d.couponCodes ?? [],
        expiresAt: d.expiresAt ? new Date(d.expiresAt) : null,
        updatedAt: new Date(d.updatedAt),
        lines: d.lines.map((l) => ({ ...l, addedAt: new Date(l.addedAt) })),
      };
    });
  }

  /** The owner's cart, created when they have none (concurrent first adds create one). */
  async ensureOwned(ownerId: string): Promise<CartRecord> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO cart (id, owner_id, updated_at) VALUES ($1::uuid, $2, now()) ON CONFLICT (owner_id) DO NOTHING`,
      randomUUID(),
      ownerId,
    );
    return (await this.ofOwner(ownerId))!;
  }

  async createGuest(expiresAt: Date): Promise<CartRecord> {
    const c = await this.db.cart.create({ data: { id: randomUUID(), expiresAt }, include: INCLUDE });
    return toRecord(c);
  }

  /**
   * Adds lines (summing into existing ones, each line capped at maxQuantity), under the cart's
   * row lock; refused whole when the cart would hold more than maxLines lines.
   */
  async addLines(
    cartId: string,
    changes: readonly CartLineChange[],
    bounds: { maxLines: number; maxQuantity: number; expiresAt: Date | null },
  ): Promise<CartRecord> {
    return this.inLockedCart(cartId, bounds.expiresAt, async (tx, cart) => {
      let count = cart.lines.length;
      for (const ch of changes) {
        const existing = cart.lines.find((l) => (ch.sku ? l.sku === ch.sku : l.bundleId === ch.bundleId));
        if (existing) {
          const quantity = existing.quantity + ch.quantity;
          if (quantity > bounds.maxQuantity) throw new CartLimitExceeded('quantity', bounds.maxQuantity);
          await tx.cartLine.update({
            where: { id: existing.id },
            data: { quantity, ...preferences(ch) },
          });
          existing.quantity = quantity;
        } else {
          if (++count > bounds.maxLines) throw new CartLimitExceeded('lines', bounds.maxLines);
          const line = await tx.cartLine.create({
            data: {
              id: randomUUID(),
              cartId,
              sku: ch.sku,
              bundleId: ch.bundleId,
              quantity: ch.quantity,
              ...preferences(ch),
            },
          });
          cart.lines.push({ ...line, substitution: line.substitution as SubstitutionPreference });
        }
      }
    });
  }

  /** Sets a line's quantity (0 removes it) and preferences. False when the cart has no such line. */
  async updateLine(
    cartId: string,
    lineId: string,
    change: {
      quantity?: number;
      substitution?: SubstitutionPreference;
      substituteSku?: string | null;
      note?: string | null;
    },
    expiresAt: Date | null,
  ): Promise<CartRecord | null> {
    let found = true;
    const cart = await this.inLockedCart(cartId, expiresAt, async (tx, c) => {
      const line = c.lines.find((l) => l.id === lineId);
      if (!line) {
        found = false;
        return;
      }
      if (change.quantity === 0) await tx.cartLine.delete({ where: { id: lineId } });
      else
        await tx.cartLine.update({
          where: { id: lineId },
          data: { ...(change.quantity ? { quantity: change.quantity } : {}), ...preferences(change) },
        });
    });
    return found ? cart : null;
  }

  async setFulfilment(
    cartId: string,
    f: { locationId?: string; fulfilmentType?: FulfilmentType; couponCodes?: string[] },
    expiresAt: Date | null,
  ): Promise<CartRecord> {
    return this.inLockedCart(cartId, expiresAt, async (tx) => {
      await tx.cart.update({ where: { id: cartId }, data: f });
    });
  }

  /** Empties a cart after its order was placed (lines only: the cart itself is reused). */
  async clear(cartId: string): Promise<void> {
    await this.db.$executeRawUnsafe(
      `WITH emptied AS (DELETE FROM cart_line WHERE cart_id = $1::uuid)
       UPDATE cart SET coupon_codes = '{}', updated_at = now() AT TIME ZONE 'UTC' WHERE id = $1::uuid`,
      cartId,
    );
  }

  async delete(cartId: string): Promise<void> {
    await this.db.cart.deleteMany({ where: { id: cartId } });
  }

  /** Deletes guest carts idle past their expiry; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const r = await this.db.cart.deleteMany({ where: { ownerId: null, expiresAt: { lt: now } } });
    return r.count;
  }

  private async inLockedCart(
    cartId: string,
    expiresAt: Date | null,
    fn: (tx: Tx, cart: CartRecord) => Promise<void>,
  ): Promise<CartRecord> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM cart WHERE id = $1::uuid FOR UPDATE`, cartId);
      const [cart] = await this.documents(`c.id = $1::uuid`, cartId, tx);
      await fn(tx, cart!);
      // Every change restarts a guest cart's idle clock.
      await tx.cart.update({ where: { id: cartId }, data: cart!.ownerId ? { updatedAt: new Date() } : { expiresAt } });
      return (await this.documents(`c.id = $1::uuid`, cartId, tx))[0]!;
    });
  }
}

function preferences(ch: {
  substitution?: SubstitutionPreference;
  substituteSku?: string | null;
  note?: string | null;
}) {
  return {
    ...(ch.substitution ? { substitution: ch.substitution } : {}),
    ...(ch.substituteSku !== undefined ? { substituteSku: ch.substituteSku } : {}),
    ...(ch.note !== undefined ? { note: ch.note } : {}),
  };
}
