// The Bus contract against a real Kafka broker. There is none on the development machine,
// so this runs only when KAFKA_BROKERS is set (docker-compose, CI with Kafka).
import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '../logger';
import { KafkaBus } from './kafka-bus';
import { describeBusContract } from './test/bus-contract';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);

async function deleteTopics(topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Kafka({ clientId: 'grocery-test-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

if (brokers.length > 0) {
  describeBusContract('Kafka', async () => ({
    bus: new KafkaBus({
      brokers,
      clientId: 'grocery-test',
      logger,
      numPartitions: 3,
      retry: { initialMs: 10, maxMs: 100 },
    }),
    cleanup: deleteTopics,
  }));
} else {
  describe.skip('Kafka bus contract (skipped: KAFKA_BROKERS not set)', () => {
    it('needs a Kafka broker', () => undefined);
  });
}
