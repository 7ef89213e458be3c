// What an event asks the notifications to say (before anyone is looked up): the kind of message,
// the order it is about, and the key that makes it once-only.
import type { NotificationKind, TemplateValues } from './templates';

export interface NotificationIntent {
  kind: NotificationKind;
  orderId: string;
  /** The customer the event names (signed-in orders), else null: the order's contact decides. */
  customerId: string | null;
  /**
   * At most one message per channel for this key: the event id, or a key that also stops a second
   * event about the same thing (e.g. "<orderId>:ORDER_CONFIRMED") from notifying twice.
   */
  dedupeKey: string;
  values: Omit<TemplateValues, 'orderNumber' | 'total'>;
}
