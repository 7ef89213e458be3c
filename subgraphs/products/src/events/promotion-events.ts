// Promotion events (topic grocery.products): every replica drops its copy of the live promotions.
import { makeEvent, type DomainEvent } from '@grocery/platform';
import type { PromotionRecord } from '../domain/promotion';
import { SOURCE } from './product-events';

export const PromotionEventType = {
  created: 'promotion.created',
  updated: 'promotion.updated',
  archived: 'promotion.archived',
} as const;
export type PromotionEventType = (typeof PromotionEventType)[keyof typeof PromotionEventType];

export interface PromotionEventData {
  id: string;
  names: { en: string; vi: string };
  rule: PromotionRecord['rule'];
  validFrom: string;
  validUntil: string;
  active: boolean;
  couponCode: string | null;
  priority: number;
  stackable: boolean;
  archivedAt: string | null;
}

export function promotionEvent(type: PromotionEventType, p: PromotionRecord): DomainEvent<PromotionEventData> {
  return makeEvent({
    source: SOURCE,
    type,
    subject: p.id,
    data: {
      id: p.id,
      names: p.names,
      rule: p.rule,
      validFrom: p.validFrom.toISOString(),
      validUntil: p.validUntil.toISOString(),
      active: p.active,
      couponCode: p.couponCode ?? null,
      priority: p.priority,
      stackable: p.stackable,
      archivedAt: p.archivedAt?.toISOString() ?? null,
    },
  });
}
