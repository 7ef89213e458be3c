// Live stock changes inside one process: the bus consumer publishes here, and every
// stockChanged subscription reads the SKUs it watches. One feed per module instance, so two
// platforms in one process (tests, replicas) never see each other's events. Its pubSub is
// also the one the schema is built with (type-graphql requires one for @Subscription).
import { createPubSub, filter, pipe } from '@graphql-yoga/subscription';
import type { StockChangeSeen as StockChange } from './stock-events';

const TOPIC = 'stock:changed';

export class StockChangeFeed {
  readonly pubSub = createPubSub<{ [TOPIC]: [StockChange] }>();

  publish(change: StockChange): void {
    this.pubSub.publish(TOPIC, change);
  }

  /** Changes of the given SKUs from now on; ends when the subscriber stops iterating. */
  watch(skus: readonly string[]): AsyncIterable<StockChange> {
    const watched = new Set(skus);
    return pipe(
      this.pubSub.subscribe(TOPIC),
      filter((change: StockChange) => watched.has(change.sku)),
    );
  }
}
