// WebSocket connections and running subscriptions of this gateway process, read from the
// transport's own counts when Prometheus scrapes.
import { sampledGauge } from '@grocery/platform';
import type { SubscriptionStatus } from './websocket-transport';

const connections = sampledGauge({
  name: 'gateway_websocket_connections',
  help: 'graphql-ws connections accepted (connection_init passed) and open.',
  combine: 'sum',
});
const subscriptions = sampledGauge({
  name: 'gateway_subscriptions_active',
  help: 'Subscriptions running over those connections.',
  combine: 'sum',
});

/** Reports this transport's counts until the returned function is called. */
export function sampleSubscriptions(status: () => SubscriptionStatus): () => void {
  const stops = [
    connections.add(() => [{ labels: {}, value: status().connections }]),
    subscriptions.add(() => [{ labels: {}, value: status().subscriptions }]),
  ];
  return () => stops.forEach((stop) => stop());
}
