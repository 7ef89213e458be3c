// Notifications (email and SMS about orders, payments, deliveries and returns) run inside the
// users service: users owns customers' contact data and consent. Not a subgraph of its own: an
// event consumer, a retry sweeper, the providers' webhooks and the staff query, wired here and
// plugged into the users module (index.ts).
import type { Bus, Config, DeadLetterSink, EventHandler, Logger, PeerClient } from '@grocery/platform';
import type { UsersDb } from '../data/db';
import type { UserRepository } from '../data/user-repository';
import { NotificationStore } from './data/notification-store';
import { NotificationService, type Customers, type Senders } from './domain/notification-service';
import { notificationHandler, startNotificationConsumer } from './events/notification-consumer';
import { NOTIFICATION_WEBHOOK_PATH, notificationWebhookRoutes } from './http/notification-webhooks';
import { OrderContactClient } from './peers/order-contact-client';
import { configuredSenders } from './senders/configured-senders';

export { NOTIFICATION_WEBHOOK_PATH };
export { NotificationResolver } from './schema/notification-resolver';
export { NotificationStore } from './data/notification-store';
export type { Senders } from './domain/notification-service';

export interface Notifications {
  store: NotificationStore;
  service: NotificationService;
  /** The adapters in use (tests swap in a failing sender or one aimed at a local fake provider). */
  senders: Senders;
  routes: ReturnType<typeof notificationWebhookRoutes>;
  /** The consumer's handler for one event (what the bus calls; tests hand it an event directly). */
  handleEvent: EventHandler;
  /** Sends what is due now (what the sweeper does every NOTIFICATION_RETRY_MS). */
  retryDue(): Promise<number>;
  start(deadLetters: DeadLetterSink): Promise<void>;
  stop(): Promise<void>;
}

export { configuredSenders };

export function createNotifications(opts: {
  config: Config;
  /** configuredSenders(config), chosen before anything is opened (it throws on missing credentials). */
  senders: Senders;
  logger: Logger;
  db: UsersDb;
  bus: Bus;
  users: UserRepository;
  peers: PeerClient;
}): Notifications {
  const { config, logger } = opts;
  const { senders } = opts;
  const store = new NotificationStore(opts.db);
  const customers: Customers = {
    async contactOf(userId) {
      const u = /^[0-9a-f-]{36}$/i.test(userId) ? await opts.users.findById(userId) : null;
      return u
        ? {
            email: u.email,
            phone: u.phone,
            locale: u.locale,
            notifyEmail: u.notificationPreferences.email,
            notifySms: u.notificationPreferences.sms,
          }
        : null;
    },
  };
  const service = new NotificationService(
    store,
    new OrderContactClient(opts.peers),
    customers,
    senders,
    { baseMs: config.NOTIFICATION_RETRY_MS, maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS },
    logger,
  );
  const handleEvent = notificationHandler({ db: opts.db, store, service, logger });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;
  let stopConsumer: (() => Promise<void>) | undefined;
  return {
    store,
    service,
    senders,
    routes: notificationWebhookRoutes(
      service,
      {
        sendgridPublicKey: config.SENDGRID_WEBHOOK_PUBLIC_KEY,
        twilioAuthToken: config.TWILIO_AUTH_TOKEN,
        twilioStatusCallbackUrl: config.TWILIO_STATUS_CALLBACK_URL,
      },
      logger,
    ),
    handleEvent,
    retryDue: () => service.retryDue(),
    async start(deadLetters) {
      stopConsumer = await startNotificationConsumer({ bus: opts.bus, handler: handleEvent, deadLetters });
      timer = setInterval(() => {
        sweeping ??= service
          .retryDue()
          .catch((err: unknown) => logger.warn({ err }, 'retrying notifications failed'))
          .finally(() => (sweeping = undefined));
      }, config.NOTIFICATION_RETRY_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await sweeping;
      await stopConsumer?.();
    },
  };
}
