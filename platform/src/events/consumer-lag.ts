// Consumer lag per consumer group, read from the transport when Prometheus scrapes: events
// published to a topic that a group has not yet acknowledged (Redis XACK, a committed Kafka
// offset, a handled in-process event), whether or not they were already handed to a member.
//
// Labels stay bounded: `group` is the name the code subscribed with. An ephemeral group
// (one per gateway replica's subscription fan-out or response cache, named with a random
// suffix on the transport) is reported under that code-given name, and replicas' ephemeral
// groups of one name share the series: "max" keeps the slowest. Several members of one durable
// group in a process read the same lag, which "max" also keeps once.
import { sampledGauge } from '../metrics/registry';
import type { Bus } from './bus';

const lag = sampledGauge({
  name: 'bus_consumer_lag_events',
  help: 'Events published to a topic and not yet acknowledged by a consumer group (ephemeral groups under their base name; the largest).',
  labelNames: ['transport', 'topic', 'group'],
  combine: 'max',
});

/**
 * Reports a subscription's group lag while it runs; call the returned function when it closes.
 * `read` may query the transport; when it fails or hangs, or knows nothing (undefined), the
 * scrape goes on without it.
 */
export function sampleConsumerLag(
  transport: Bus['kind'],
  topic: string,
  group: string,
  read: () => Promise<number | undefined> | number | undefined,
): () => void {
  return lag.add(async () => {
    const value = await read();
    return value === undefined ? [] : [{ labels: { transport, topic, group }, value }];
  });
}
