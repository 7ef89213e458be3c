// The delivery subgraph: zones of wards, delivery and pickup slots that never overbook (holds and
// bookings), couriers behind DeliveryProvider (Grab Express, ViettelPost, GHN, a simulator),
// shipments with live tracking. Wires data, domain, schema, events, routes and background work.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  databaseAnswers,
  DeadLetterStore,
  defineSubgraph,
  OutboxRelay,
  PeriodicTask,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createDeliveryContext, type DeliveryContext } from './context';
import { createDeliveryDb } from './data/db';
import { ScheduleStore } from './data/schedule-store';
import { ShipmentStore } from './data/shipment-store';
import { SlotStore } from './data/slot-store';
import { ScheduleService } from './domain/schedule-service';
import { ShipmentService } from './domain/shipment-service';
import { SlotService } from './domain/slot-service';
import { ZoneDirectory } from './domain/zone-directory';
import { startDeliveryConsumers } from './events/consumers';
import { TrackingFeed } from './events/tracking-feed';
import { DELIVERY_WEBHOOK_PATH, deliveryWebhookRoutes } from './http/delivery-webhooks';
import { createDeliveryProviders, DeliverySimulator, type ResilientDeliveryProvider } from './providers';
import { BookingResolver } from './schema/booking-resolver';
import { Location, Order, orderReference } from './schema/references';
import { ScheduleResolver } from './schema/schedule-resolver';
import { OrderShipmentResolver, ShipmentResolver, TrackingResolver } from './schema/shipment-resolver';
import { SlotResolver } from './schema/slot-resolver';
import { WardResolver, ZoneResolver } from './schema/zone-resolver';

export * from './providers/delivery-provider';
export { DELIVERY_TOPIC, DeliveryEventType } from './events/delivery-events';
export type { DeliveryContext };

export function buildDeliverySchema(tracking: TrackingFeed = new TrackingFeed()) {
  return buildFederatedSchema({
    pubSub: tracking.pubSub,
    orphanedTypes: [Location, Order],
    resolvers: [
      ZoneResolver,
      WardResolver,
      SlotResolver,
      ScheduleResolver,
      BookingResolver,
      OrderShipmentResolver,
      ShipmentResolver,
      TrackingResolver,
    ],
    extraResolvers: { ...orderReference },
  });
}

export interface DeliverySubgraph extends SubgraphModule<DeliveryContext> {
  /** Expires due slot holds now (tests skip the sweeper's wait). */
  sweepHolds(): Promise<void>;
  /** Books due shipments now (tests skip the dispatcher's wait). */
  dispatchShipments(): Promise<void>;
  /** The enabled couriers (tests reach the simulator to sign and replay its webhooks). */
  readonly couriers: readonly ResilientDeliveryProvider[];
  /** The courier simulator, when SIMULATOR is enabled. */
  readonly simulator: DeliverySimulator | undefined;
}

export async function createDeliverySubgraph(deps: SubgraphDeps): Promise<DeliverySubgraph> {
  const { config, logger } = deps;
  const db = createDeliveryDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger, pollMs: config.OUTBOX_POLL_MS });
  const afterCommit = () => relay.wake();
  const zones = new ZoneDirectory(db);
  const slots = new SlotService(
    new SlotStore(db),
    zones,
    deps.caches.cache('delivery:slots', config.SLOT_CACHE_SECONDS),
    {
      holdSeconds: config.SLOT_HOLD_SECONDS,
      maxLiveHoldsPerClient: config.MAX_SLOT_HOLDS_PER_CLIENT,
      maxDays: config.MAX_SLOT_DAYS,
      maxItemsPerHold: config.MAX_SLOT_HOLD_ITEMS,
      cache: config.SLOT_CACHE === 'on',
      fees: {
        express: config.DELIVERY_FEE_EXPRESS,
        sameDay: config.DELIVERY_FEE_SAME_DAY,
        nextDay: config.DELIVERY_FEE_NEXT_DAY,
        freeAbove: config.FREE_DELIVERY_ABOVE,
      },
    },
    logger,
    afterCommit,
  );
  const schedule = new ScheduleService(new ScheduleStore(db), zones, slots, logger, afterCommit);
  // Expired holds give their capacity back even when nobody lists the slot (concurrent sweeps
  // on several replicas skip each other's rows: FOR UPDATE SKIP LOCKED).
  const sweeper = new PeriodicTask({
    name: 'slot-hold-sweep',
    intervalMs: config.SLOT_SWEEP_MS,
    logger,
    run: async () => {
      for (let n = 500; n === 500;) n = await slots.expireHolds(500);
    },
  });
  const deadLetters = new DeadLetterStore({ db, schema: 'delivery', logger });
  let baseUrl: string | undefined = config.DELIVERY_WEBHOOK_BASE_URL?.replace(/\/+$/, '');
  const couriers = createDeliveryProviders(config, {
    webhookUrl: () => (baseUrl ? `${baseUrl}${DELIVERY_WEBHOOK_PATH}/simulator` : undefined),
    logger,
  });
  const shipments = new ShipmentService(
    new ShipmentStore(db),
    slots,
    zones,
    couriers,
    {
      maxAttempts: config.SHIPMENT_MAX_ATTEMPTS,
      retryBaseMs: config.SHIPMENT_RETRY_BASE_MS,
      zoneProviders: config.DELIVERY_ZONE_PROVIDERS,
    },
    logger,
    afterCommit,
  );
  // Books ready shipments and retries failed bookings (a claimed shipment's next attempt moves
  // ahead in the claiming statement, so replicas do not book the same one at once).
  const dispatcher = new PeriodicTask({
    name: 'shipment-dispatch',
    intervalMs: config.SHIPMENT_SWEEP_MS,
    logger,
    run: async () => {
      for (let n = 20; n === 20;) n = await shipments.dispatchDue(20);
    },
  });
  const tracking = new TrackingFeed();
  const schema = await buildDeliverySchema(tracking);
  const services = { zones, slots, schedule, shipments, tracking };
  let stopConsumers: (() => Promise<void>) | undefined;
  let stopTracking: (() => Promise<void>) | undefined;
  const simulator = couriers.map((c) => c.inner).find((p): p is DeliverySimulator => p instanceof DeliverySimulator);

  return {
    name: 'delivery',
    schema,
    couriers,
    simulator,
    createContext: (request) => createDeliveryContext(request, services),
    sweepHolds: () => sweeper.run(),
    dispatchShipments: () => dispatcher.run(),
    routes: deliveryWebhookRoutes(shipments, logger),
    listening(url) {
      baseUrl ??= url;
    },
    async start() {
      relay.start();
      stopTracking = await tracking.start(deps.bus, logger);
      stopConsumers = await startDeliveryConsumers({ bus: deps.bus, slots, shipments, logger, deadLetters });
      sweeper.start();
      dispatcher.start();
    },
    async stop() {
      await dispatcher.stop();
      await sweeper.stop();
      await stopConsumers?.();
      await stopTracking?.();
      for (const c of couriers) c.shutdown();
      await deadLetters.close();
      await relay.stop();
      await db.$disconnect();
    },
    healthy: () => databaseAnswers(db),
  };
}

/** The delivery subgraph as the gateway's registry and its own service know it. */
export const deliverySubgraph = defineSubgraph({
  name: 'delivery',
  defaultPort: 4005,
  publicPaths: [DELIVERY_WEBHOOK_PATH],
  buildSchema: () => buildDeliverySchema(),
  create: createDeliverySubgraph,
});
