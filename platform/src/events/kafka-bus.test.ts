// The Bus contract against a real Kafka broker, and a member killed mid-event. Runs only when
// KAFKA_BROKERS is set (CI starts a KRaft broker with scripts/kafka-broker.sh; docker-compose).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '../logger';
import { KafkaBus } from './kafka-bus';
import { collector, describeBusContract, numbered } from './test/bus-contract';
import { waitFor } from './test/wait';

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

  describe('Kafka bus, a member killed mid-event', () => {
    // The crashing member runs in its own process, from the build (`pnpm run build`), so it
    // can die with SIGKILL: no LeaveGroup, no commit, sockets cut.
    const dist = path.resolve(__dirname, '../../dist');
    let child: ChildProcess | undefined;
    let bus: KafkaBus | undefined;
    let topic: string | undefined;

    afterEach(async () => {
      child?.kill('SIGKILL');
      await bus?.close();
      if (topic) await deleteTopics([topic]);
    });

    it('redelivers to the group the events the killed member had taken but not finished, in order', async () => {
      if (!existsSync(path.join(dist, 'events/kafka-bus.js')))
        throw new Error(`no build in ${dist}: run pnpm run build`);
      topic = `test.bus.${randomUUID().slice(0, 8)}`;
      const group = `crash.${randomUUID().slice(0, 8)}`;
      bus = new KafkaBus({
        brokers,
        clientId: 'grocery-test',
        logger,
        numPartitions: 1,
        retry: { initialMs: 10, maxMs: 100 },
      });
      const sent = [numbered('ORDER-1', 0), numbered('ORDER-1', 1), numbered('ORDER-1', 2)];
      await bus.publish(topic, sent);

      // A replica of group `group` that takes the first event and is killed while handling it.
      const crashing = spawn(
        process.execPath,
        [
          '-e',
          `const { KafkaBus } = require(${JSON.stringify(path.join(dist, 'events/kafka-bus.js'))});
           const { createLogger } = require(${JSON.stringify(path.join(dist, 'logger.js'))});
           const [brokers, topic, group] = process.argv.slice(1);
           const bus = new KafkaBus({ brokers: brokers.split(','), clientId: 'grocery-test-crashing',
             logger: createLogger('silent', 'test'), numPartitions: 1, sessionTimeoutMs: 6000 });
           bus.subscribe(topic, { group, from: 'earliest' }, (e) => {
             process.stdout.write('handling ' + e.data.n + '\\n');
             return new Promise(() => {}); // never finishes
           }).catch((err) => { console.error(err); process.exit(1); });`,
          brokers.join(','),
          topic,
          group,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      child = crashing;
      let output = '';
      crashing.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(() => output.includes('handling 0'), 'the crashing member to take the first event', 30_000);
      crashing.kill('SIGKILL');

      // The surviving replica joins the same group once the dead member's session expires.
      const survivor = collector();
      await bus.subscribe(topic, { group, from: 'earliest' }, survivor.handler);
      await waitFor(() => survivor.events.length >= 3, 'the unfinished events to be redelivered', 30_000);
      expect(survivor.events.map((e) => e.id)).toEqual(sent.map((e) => e.id));
    });
  });
} else {
  describe.skip('Kafka bus contract (skipped: KAFKA_BROKERS not set)', () => {
    it('needs a Kafka broker', () => undefined);
  });
}
