// The notifications consumer: order, payment and return events (grocery.orders) and shipment
// events (grocery.delivery), durable groups from the earliest retained event. Per event: skip what
// is no notification; look up who to tell (outside any transaction: a peer call); record the
// messages and the processed event in one transaction (processed_event, and the notification
// table's unique keys, so a redelivery or a racing replica records nothing twice); then send
// what was recorded. A failure before commit (orders out of reach) is retried by the bus, and
// after EVENT_MAX_ATTEMPTS kept in users.dead_letter_event; a failed send is the sweeper's.
import {
  idempotentHandler,
  type Bus,
  type DeadLetterSink,
  type DomainEvent,
  type EventHandler,
  type Logger,
} from '@grocery/platform';
import type { UsersDb } from '../../data/db';
import type { NotificationStore } from '../data/notification-store';
import type { NewNotification } from '../domain/notification';
import type { NotificationService } from '../domain/notification-service';
import { DELIVERY_TOPIC, notificationIntentOf, ORDERS_TOPIC } from './notification-events';

/** processed_event's consumer name (both topics: event ids are unique across them). */
export const NOTIFICATIONS_CONSUMER = 'users.notifications';
const ORDERS_GROUP = 'users.notifications.orders';
const DELIVERY_GROUP = 'users.notifications.delivery';

type WithMessages = DomainEvent & { messages: NewNotification[]; pending: string[] };

/** The per-event handler (exported for tests that hand it an event twice). */
export function notificationHandler(opts: {
  db: UsersDb;
  store: NotificationStore;
  service: NotificationService;
  logger: Logger;
}): EventHandler {
  const record = idempotentHandler<WithMessages>({
    db: opts.db,
    consumer: NOTIFICATIONS_CONSUMER,
    handle: async (event, tx) => {
      event.pending.push(...(await opts.store.record(tx, event.messages, new Date())));
    },
  });
  return async (event) => {
    const parsed = notificationIntentOf(event);
    if (parsed.kind === 'malformed') {
      opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed event');
      return;
    }
    if (parsed.kind === 'ignore') return;
    if (await opts.store.hasEvent(event.id)) return;
    const messages = await opts.service.compose(event, parsed.intent);
    if (messages.length === 0) return;
    const withMessages: WithMessages = { ...event, messages, pending: [] };
    await record(withMessages);
    // After commit; a failure here leaves the messages PENDING for the sweeper.
    await opts.service
      .deliver(withMessages.pending)
      .catch((err: unknown) => opts.logger.warn({ err, eventId: event.id }, 'sending notifications failed'));
  };
}

export async function startNotificationConsumer(opts: {
  bus: Bus;
  handler: EventHandler;
  deadLetters: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const { handler } = opts;
  const orders = await opts.bus.subscribe(
    ORDERS_TOPIC,
    { group: ORDERS_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    handler,
  );
  const delivery = await opts.bus.subscribe(
    DELIVERY_TOPIC,
    { group: DELIVERY_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    handler,
  );
  return async () => {
    await delivery.close();
    await orders.close();
  };
}
