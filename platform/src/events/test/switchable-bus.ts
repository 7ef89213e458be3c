// A Bus wrapper for outage tests: can be switched "down" (publish rejects without sending),
// and can simulate a relay crash right after a publish went out but before it was recorded.
import type { Bus, EventHandler, SubscribeOptions, Subscription } from '../bus';
import type { DomainEvent } from '../envelope';

export class SwitchableBus implements Bus {
  down = false;
  /** The next successful publish is followed by a throw, as if the relay died right after it. */
  crashAfterNextPublish = false;
  rejectedPublishes = 0;
  crashedBatchSize = 0;

  constructor(private readonly inner: Bus) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }

  async publish(topic: string, events: DomainEvent[]): Promise<void> {
    if (this.down) {
      this.rejectedPublishes++;
      throw new Error('bus unreachable (test outage)');
    }
    await this.inner.publish(topic, events);
    if (this.crashAfterNextPublish) {
      this.crashAfterNextPublish = false;
      this.crashedBatchSize = events.length;
      throw new Error('relay crashed after publishing (test)');
    }
  }

  subscribe(topic: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    return this.inner.subscribe(topic, options, handler);
  }

  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
