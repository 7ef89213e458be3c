// Bundle events (topic grocery.products, subject = bundle id): every replica evicts its cached
// copy; the payload carries the whole kit so consumers (search, orders) need no lookup.
import { makeEvent, type DomainEvent } from '@grocery/platform';
import type { BundleRecord } from '../domain/bundle';
import { SOURCE } from './product-events';

export const BundleEventType = {
  created: 'bundle.created',
  updated: 'bundle.updated',
  archived: 'bundle.archived',
} as const;
export type BundleEventType = (typeof BundleEventType)[keyof typeof BundleEventType];

export interface BundleEventData {
  id: string;
  slug: string;
  version: number;
  names: { en: string; vi: string };
  price: { amount: number; currency: string };
  components: { sku: string; quantity: number }[];
  archivedAt: string | null;
}

export function bundleEvent(type: BundleEventType, b: BundleRecord): DomainEvent<BundleEventData> {
  return makeEvent({
    source: SOURCE,
    type,
    subject: b.id,
    data: {
      id: b.id,
      slug: b.slug,
      version: b.version,
      names: { en: b.nameEn, vi: b.nameVi },
      price: { amount: b.priceAmount, currency: b.priceCurrency },
      components: b.components.map((c) => ({ sku: c.sku, quantity: c.quantity })),
      archivedAt: b.archivedAt?.toISOString() ?? null,
    },
  });
}
