// Chooses the Bus transport from configuration: Kafka when brokers are set, else Redis
// Streams when Redis is, else in-process. One code path for every mode.
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Bus } from './bus';
import { InProcessBus } from './in-process-bus';
import { KafkaBus } from './kafka-bus';
import { RedisStreamsBus } from './redis-streams-bus';
import { DEFAULT_HANDLER_BACKOFF } from './retry';

export type BusConfig = Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'REDIS_URL'> &
  Partial<
    Pick<
      Config,
      | 'REDIS_PREFIX'
      | 'EVENT_MAX_ATTEMPTS'
      | 'EVENT_RETRY_MAX_MS'
      | 'EVENT_STREAM_RETENTION_SECONDS'
      | 'EVENT_STREAM_MAX_LEN'
    >
  >;

export async function createBus(config: BusConfig, logger: Logger): Promise<Bus> {
  const delivery = {
    maxAttempts: config.EVENT_MAX_ATTEMPTS,
    retry: { ...DEFAULT_HANDLER_BACKOFF, maxMs: config.EVENT_RETRY_MAX_MS ?? DEFAULT_HANDLER_BACKOFF.maxMs },
  };
  const bus: Bus =
    config.KAFKA_BROKERS.length > 0
      ? new KafkaBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger, ...delivery })
      : config.REDIS_URL
        ? new RedisStreamsBus({
            url: config.REDIS_URL,
            logger,
            keyPrefix: config.REDIS_PREFIX,
            ...delivery,
            maxLen: config.EVENT_STREAM_MAX_LEN,
            retentionMs:
              config.EVENT_STREAM_RETENTION_SECONDS === undefined
                ? undefined
                : config.EVENT_STREAM_RETENTION_SECONDS * 1000,
          })
        : new InProcessBus({ logger, ...delivery });
  logger.info({ transport: bus.kind }, 'event bus ready');
  return bus;
}
