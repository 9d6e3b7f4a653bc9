/**
 * What the provider-feedback tests share: the real database (migrated), a namespace of their own on the
 * real broker, a StatusPublisher into it whose publishes are also kept in order (so a test can say
 * "nothing was published" without waiting for silence), and a reader of the namespace's
 * delivery-status topic to see that what was published arrived.
 */
import { randomUUID } from 'node:crypto';
import { createChannelMetrics, MessageCloser, MessageLog, StatusPublisher, type ChannelMetrics } from '@notify/channel';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { AvroCodec, createKafka } from '@notify/kafka';
import { createMetrics } from '@notify/runner';
import type { DeliveryStatus } from '@notify/schemas';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { stackEnv } from '../../scripts/src/stack-env';
import { readTopic, type TopicReader } from './topic-reader';

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export interface FeedbackRig {
  db: Db;
  /** Every status published so far, in publish order. */
  published: DeliveryStatus[];
  /** The namespace's delivery-status topic, as a reader sees it. */
  statuses: TopicReader<DeliveryStatus>;
  /** A closer over its own message log (on `db`, the rig's unless given), publishing through the rig; metrics of its own unless given. */
  closer(options?: { metrics?: ChannelMetrics; db?: Db }): MessageCloser;
  close(): Promise<void>;
}

export async function openFeedbackRig(): Promise<FeedbackRig> {
  const namespace = `t-${randomUUID().slice(0, 8)}.`;
  const nsEnv = { ...process.env, KAFKA_NAMESPACE: namespace };
  const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
  const db = createDb(databaseUrl, 8);
  await migrateToLatest(db);
  await provision(nsEnv);
  const codec = await AvroCodec.connect(registryUrl, []);
  const publisher = new StatusPublisher(createKafka({ clientId: 'feedback-rig', brokers, logger: quiet, namespace }), codec);
  await publisher.start();
  const statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${namespace}notifications.delivery-status`);
  const published: DeliveryStatus[] = [];
  const recording = {
    publish: async (...records: DeliveryStatus[]) => {
      await publisher.publish(...records);
      published.push(...records);
    },
  };
  return {
    db,
    published,
    statuses,
    closer: (options = {}) =>
      new MessageCloser({
        messages: new MessageLog(options.db ?? db),
        publisher: recording,
        metrics: options.metrics ?? createChannelMetrics(createMetrics('feedback-test').registry),
      }),
    close: async () => {
      await statuses.close();
      await publisher.stop();
      await db.destroy();
      await dropNamespace(nsEnv);
    },
  };
}
