// StockPort over the stock subgraph (PeerClient), against stock's service-only operations
// (reserveOrderStock and friends, @inaccessible at the gateway). Each is idempotent per order
// (or return) on stock's side, so a call retried after a timeout never holds or moves twice.
import type { PeerClient } from '@grocery/platform';
import type { StockLine, StockPort, StockReservation } from '../domain/ports';

const RESERVE = `mutation ($input: ReserveOrderStockInput!) { reserveOrderStock(input: $input) {
  __typename
  ... on OrderStockReservation { status expiresAt }
  ... on OrderStockShortage { lines { sku requested available } } } }`;
const ALLOCATE = `mutation ($orderId: ID!) { allocateOrderStock(orderId: $orderId) { status } }`;
const RELEASE = `mutation ($orderId: ID!) { releaseOrderStock(orderId: $orderId) { status } }`;
const PICK = `mutation ($input: PickOrderStockInput!) { pickOrderStock(input: $input) { status } }`;
const RESTOCK = `mutation ($input: RestockReturnInput!) { restockReturn(input: $input) }`;
const AVAILABLE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product {
  sku availability { available byLocation { location { id } available } } } } }`;

type ReserveAnswer =
  | { __typename: 'OrderStockReservation'; status: string; expiresAt: string | null }
  | { __typename: 'OrderStockShortage'; lines: { sku: string; requested: number; available: number }[] };

export class StockClient implements StockPort {
  constructor(private readonly peers: PeerClient) {}

  async reserve(
    orderId: string,
    locationId: string,
    lines: readonly StockLine[],
    holdSeconds: number,
  ): Promise<StockReservation> {
    const { reserveOrderStock: r } = await this.peers.call<{ reserveOrderStock: ReserveAnswer }>('stock', RESERVE, {
      input: { orderId, locationId, lines, holdSeconds },
    });
    if (r.__typename === 'OrderStockShortage') return { ok: false, short: r.lines };
    return { ok: true, expiresAt: r.expiresAt ? new Date(r.expiresAt) : null };
  }

  async allocate(orderId: string): Promise<void> {
    await this.peers.call('stock', ALLOCATE, { orderId });
  }

  async release(orderId: string): Promise<void> {
    await this.peers.call('stock', RELEASE, { orderId });
  }

  async pick(orderId: string, lines: readonly StockLine[]): Promise<void> {
    await this.peers.call('stock', PICK, { input: { orderId, lines } });
  }

  async restock(returnId: string, locationId: string, lines: readonly StockLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.peers.call('stock', RESTOCK, { input: { returnId, locationId, lines } });
  }

  async available(skus: readonly string[], locationId: string | null): Promise<Map<string, number>> {
    if (skus.length === 0) return new Map();
    const data = await this.peers.call<{
      _entities: ({
        sku: string;
        availability: { available: number; byLocation: { location: { id: string }; available: number }[] } | null;
      } | null)[];
    }>('stock', AVAILABLE, { r: skus.map((sku) => ({ __typename: 'Product', sku })) });
    const result = new Map<string, number>();
    for (const e of data._entities) {
      if (!e?.sku) continue;
      const a = e.availability;
      const n = !a
        ? 0
        : locationId
          ? (a.byLocation.find((b) => b.location.id === locationId)?.available ?? 0)
          : a.available;
      result.set(e.sku, n);
    }
    for (const sku of skus) if (!result.has(sku)) result.set(sku, 0);
    return result;
  }
}
