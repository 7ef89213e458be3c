// The delivery subgraph: zones of wards, delivery and pickup slots that never overbook (holds and
// bookings), couriers behind DeliveryProvider (Grab Express, ViettelPost, GHN, a simulator),
// shipments with live tracking. Wires data, domain, schema, events, routes and background work.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  databaseAnswers,
  defineSubgraph,
  OutboxRelay,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import { createDeliveryContext, type DeliveryContext } from './context';
import { createDeliveryDb } from './data/db';
import { ZoneDirectory } from './domain/zone-directory';
import { Location } from './schema/references';
import { WardResolver, ZoneResolver } from './schema/zone-resolver';

export * from './providers/delivery-provider';
export { DELIVERY_TOPIC, DeliveryEventType } from './events/delivery-events';
export type { DeliveryContext };

export function buildDeliverySchema() {
  return buildFederatedSchema({
    orphanedTypes: [Location],
    resolvers: [ZoneResolver, WardResolver],
  });
}

export async function createDeliverySubgraph(deps: SubgraphDeps): Promise<SubgraphModule<DeliveryContext>> {
  const { config, logger } = deps;
  const db = createDeliveryDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger, pollMs: config.OUTBOX_POLL_MS });
  const zones = new ZoneDirectory(db);
  const schema = await buildDeliverySchema();
  const services = { zones };

  return {
    name: 'delivery',
    schema,
    createContext: (request) => createDeliveryContext(request, services),
    async start() {
      relay.start();
    },
    async stop() {
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
