// CatalogPort over the products subgraph (PeerClient): entity reads by key, pricing for a
// customer, coupon claims. Calls that only read are retried once by the caller's timeout; the
// claim is idempotent per order, so a retried claim never takes a second use.
import type { Locale, PeerClient } from '@grocery/platform';
import type { CatalogBundle, CatalogPort, CatalogProduct, CouponClaim, PricedSkus } from '../domain/ports';

const PRODUCTS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product {
  sku names { en vi } unit category { id } currentPrice { amount } archivedAt } } }`;

const BUNDLES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Bundle {
  id names { en vi } price { amount } archivedAt components { quantity product { sku } } } } }`;

const PRICE = `query ($lines: [CartLineInput!]!, $codes: [String!]!, $customerId: ID, $clientKey: String!) {
  priceCartFor(lines: $lines, couponCodes: $codes, customerId: $customerId, clientKey: $clientKey) {
    lines { sku quantity unitPrice { amount } discount { amount } total { amount } }
    subtotal { amount } lineDiscount { amount } orderDiscount { amount } total { amount }
    appliedPromotions { couponCode } rejectedCoupons { code reason } } }`;

const CLAIM = `mutation ($orderId: ID!, $codes: [String!]!, $customerId: ID) {
  claimCouponUses(orderId: $orderId, codes: $codes, customerId: $customerId) { claimed refusedCode reason } }`;

const RELEASE = `mutation ($orderId: ID!) { releaseCouponUses(orderId: $orderId) }`;

const SUBSTITUTES = `query ($categoryId: ID!, $locationId: ID!, $first: Int!) {
  products(filter: { categoryId: $categoryId, inStockAt: $locationId }, first: $first, sort: POPULARITY) { edges { node { sku archivedAt } } } }`;

interface ProductEntity {
  sku: string;
  names: { en: string; vi: string };
  unit: string;
  category: { id: string };
  currentPrice: { amount: number };
  archivedAt: string | null;
}

interface BundleEntity {
  id: string;
  names: { en: string; vi: string };
  price: { amount: number };
  archivedAt: string | null;
  components: { quantity: number; product: { sku: string } }[];
}

interface PricedCartAnswer {
  lines: {
    sku: string;
    quantity: number;
    unitPrice: { amount: number };
    discount: { amount: number };
    total: { amount: number };
  }[];
  subtotal: { amount: number };
  lineDiscount: { amount: number };
  orderDiscount: { amount: number };
  total: { amount: number };
  appliedPromotions: { couponCode: string | null }[];
  rejectedCoupons: { code: string; reason: string }[];
}

export class CatalogClient implements CatalogPort {
  constructor(private readonly peers: PeerClient) {}

  async products(skus: readonly string[], locale: Locale): Promise<Map<string, CatalogProduct>> {
    if (skus.length === 0) return new Map();
    const data = await this.peers.call<{ _entities: (ProductEntity | null)[] }>(
      'products',
      PRODUCTS,
      { r: skus.map((sku) => ({ __typename: 'Product', sku })) },
      { locale },
    );
    const found = new Map<string, CatalogProduct>();
    for (const p of data._entities)
      if (p?.sku)
        found.set(p.sku, {
          sku: p.sku,
          names: p.names,
          unit: p.unit,
          categoryId: p.category.id,
          price: p.currentPrice.amount,
          sellable: p.archivedAt === null,
        });
    return found;
  }

  async bundles(ids: readonly string[], locale: Locale): Promise<Map<string, CatalogBundle>> {
    if (ids.length === 0) return new Map();
    const data = await this.peers.call<{ _entities: (BundleEntity | null)[] }>(
      'products',
      BUNDLES,
      { r: ids.map((id) => ({ __typename: 'Bundle', id })) },
      { locale },
    );
    const found = new Map<string, CatalogBundle>();
    for (const b of data._entities)
      if (b?.id)
        found.set(b.id, {
          id: b.id,
          names: b.names,
          price: b.price.amount,
          sellable: b.archivedAt === null,
          components: b.components.map((c) => ({ sku: c.product.sku, quantity: c.quantity })),
        });
    return found;
  }

  async price(
    lines: readonly { sku: string; quantity: number }[],
    couponCodes: readonly string[],
    caller: { customerId: string | null; clientKey: string },
  ): Promise<PricedSkus> {
    if (lines.length === 0)
      return {
        lines: [],
        subtotal: 0,
        lineDiscount: 0,
        orderDiscount: 0,
        total: 0,
        rejectedCoupons: [],
        appliedCoupons: [],
      };
    const { priceCartFor: c } = await this.peers.call<{ priceCartFor: PricedCartAnswer }>('products', PRICE, {
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      codes: couponCodes,
      customerId: caller.customerId,
      clientKey: caller.clientKey,
    });
    return {
      lines: c.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: l.unitPrice.amount,
        discount: l.discount.amount,
        total: l.total.amount,
      })),
      subtotal: c.subtotal.amount,
      lineDiscount: c.lineDiscount.amount,
      orderDiscount: c.orderDiscount.amount,
      total: c.total.amount,
      rejectedCoupons: c.rejectedCoupons,
      appliedCoupons: [...new Set(c.appliedPromotions.map((p) => p.couponCode).filter((x): x is string => !!x))],
    };
  }

  async claimCoupons(orderId: string, codes: readonly string[], customerId: string | null): Promise<CouponClaim> {
    if (codes.length === 0) return { ok: true };
    const { claimCouponUses: r } = await this.peers.call<{
      claimCouponUses: { claimed: boolean; refusedCode: string | null; reason: string | null };
    }>('products', CLAIM, { orderId, codes, customerId });
    return r.claimed ? { ok: true } : { ok: false, code: r.refusedCode ?? '', reason: r.reason ?? 'UNKNOWN' };
  }

  async releaseCoupons(orderId: string): Promise<void> {
    await this.peers.call('products', RELEASE, { orderId });
  }

  async substitutes(sku: string, categoryId: string, locationId: string, first: number): Promise<string[]> {
    const data = await this.peers.call<{ products: { edges: { node: { sku: string; archivedAt: string | null } }[] } }>(
      'products',
      SUBSTITUTES,
      { categoryId, locationId, first: first + 1 },
    );
    return data.products.edges
      .map((e) => e.node)
      .filter((n) => n.sku !== sku && n.archivedAt === null)
      .slice(0, first)
      .map((n) => n.sku);
  }
}
