// The one event envelope: CloudEvents attribute names plus a schema version.
import { randomUUID } from 'node:crypto';

export interface DomainEvent<T = unknown> {
  /** Unique event id (UUID); consumers use it to skip duplicates. */
  id: string;
  /** Producing service, e.g. "grocery/stock". */
  source: string;
  /** Dotted type, e.g. "stock.level_changed". */
  type: string;
  /** Aggregate key, e.g. a SKU; also the partition/ordering key on the bus. */
  subject: string;
  /** ISO-8601 UTC time the change happened. */
  time: string;
  /** Schema version of `data`. */
  version: number;
  data: T;
}

export function makeEvent<T>(input: {
  source: string;
  type: string;
  subject: string;
  data: T;
  version?: number;
  time?: Date;
}): DomainEvent<T> {
  return {
    id: randomUUID(),
    source: input.source,
    type: input.type,
    subject: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    version: input.version ?? 1,
    data: input.data,
  };
}

/** Kafka topic / Redis stream name for a domain: `grocery.<domain>`. */
export function topicFor(domain: string): string {
  return `grocery.${domain}`;
}
