// Chooses the Bus transport from configuration: Kafka when brokers are set, else Redis
// Streams when Redis is, else in-process. One code path for every mode.
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Bus } from './bus';
import { InProcessBus } from './in-process-bus';
import { KafkaBus } from './kafka-bus';
import { RedisStreamsBus } from './redis-streams-bus';

export type BusConfig = Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'REDIS_URL'> &
  Partial<Pick<Config, 'REDIS_PREFIX'>>;

export async function createBus(config: BusConfig, logger: Logger): Promise<Bus> {
  const bus: Bus =
    config.KAFKA_BROKERS.length > 0
      ? new KafkaBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger })
      : config.REDIS_URL
        ? new RedisStreamsBus({ url: config.REDIS_URL, logger, keyPrefix: config.REDIS_PREFIX })
        : new InProcessBus({ logger });
  logger.info({ transport: bus.kind }, 'event bus ready');
  return bus;
}
