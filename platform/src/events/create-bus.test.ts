import { createLogger } from '../logger';
import { createBus } from './create-bus';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');

describe('createBus', () => {
  it('picks Kafka when brokers are set, even with Redis configured', async () => {
    const bus = await createBus(
      { KAFKA_BROKERS: ['127.0.0.1:9092'], KAFKA_CLIENT_ID: 'grocery', REDIS_URL: 'redis://127.0.0.1:1' },
      logger,
    );
    expect(bus.kind).toBe('kafka');
    await bus.close();
  });

  it('picks Redis Streams when only REDIS_URL is set', async () => {
    const bus = await createBus(
      { KAFKA_BROKERS: [], KAFKA_CLIENT_ID: 'grocery', REDIS_URL: 'redis://127.0.0.1:1' },
      logger,
    );
    expect(bus.kind).toBe('redis');
    await bus.close();
  });

  it('falls back to the in-process bus with neither', async () => {
    const bus = await createBus({ KAFKA_BROKERS: [], KAFKA_CLIENT_ID: 'grocery', REDIS_URL: undefined }, logger);
    expect(bus.kind).toBe('in-process');
    await bus.close();
  });
});
