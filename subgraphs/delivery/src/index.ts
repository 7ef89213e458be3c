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
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createDeliveryContext, type DeliveryContext } from './context';
import { createDeliveryDb } from './data/db';
import { ScheduleStore } from './data/schedule-store';
import { SlotStore } from './data/slot-store';
import { HoldSweeper } from './domain/hold-sweeper';
import { ScheduleService } from './domain/schedule-service';
import { SlotService } from './domain/slot-service';
import { ZoneDirectory } from './domain/zone-directory';
import { startDeliveryConsumers } from './events/consumers';
import { BookingResolver } from './schema/booking-resolver';
import { Location } from './schema/references';
import { ScheduleResolver } from './schema/schedule-resolver';
import { SlotResolver } from './schema/slot-resolver';
import { WardResolver, ZoneResolver } from './schema/zone-resolver';

export * from './providers/delivery-provider';
export { DELIVERY_TOPIC, DeliveryEventType } from './events/delivery-events';
export type { DeliveryContext };

export function buildDeliverySchema() {
  return buildFederatedSchema({
    orphanedTypes: [Location],
    resolvers: [ZoneResolver, WardResolver, SlotResolver, ScheduleResolver, BookingResolver],
  });
}

export interface DeliverySubgraph extends SubgraphModule<DeliveryContext> {
  /** Expires due slot holds now (tests skip the sweeper's wait). */
  sweepHolds(): Promise<void>;
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
  const sweeper = new HoldSweeper(slots, config.SLOT_SWEEP_MS, logger);
  const deadLetters = new DeadLetterStore({ db, schema: 'delivery', logger });
  const schema = await buildDeliverySchema();
  const services = { zones, slots, schedule };
  let stopConsumers: (() => Promise<void>) | undefined;

  return {
    name: 'delivery',
    schema,
    createContext: (request) => createDeliveryContext(request, services),
    sweepHolds: () => sweeper.sweep(),
    async start() {
      relay.start();
      stopConsumers = await startDeliveryConsumers({ bus: deps.bus, slots, logger, deadLetters });
      sweeper.start();
    },
    async stop() {
      await sweeper.stop();
      await stopConsumers?.();
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
  buildSchema: () => buildDeliverySchema(),
  create: createDeliverySubgraph,
});
