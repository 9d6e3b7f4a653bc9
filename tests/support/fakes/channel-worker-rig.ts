/**
 * Runs one channel worker in-process (its real main()) in a Kafka namespace of its own, with a
 * producer for dispatches and readers for statuses and dead letters, as an outside client sees them.
 * Everything it creates is removed by stop().
 */
import { randomUUID } from 'node:crypto';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { dispatchTopic, type Channel, type DeadLetter, type DeliveryStatus, type Dispatch } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../topic-reader';
import { waitFor } from '../wait';

export interface ChannelWorkerRig {
  namespace: string;
  /** The worker's /health, /health/ready and /metrics port. */
  opsPort: number;
  statuses: TopicReader<DeliveryStatus>;
  deadLetters: TopicReader<DeadLetter>;
  dispatch(...dispatches: Dispatch[]): Promise<void>;
  /** Waits for the terminal status of a notification and returns every status it had, in order. */
  terminal(notificationId: string, timeoutMs?: number): Promise<DeliveryStatus[]>;
  /** Waits for the dead letter of a notification (it is read by its own consumer, so it may trail the status). */
  deadLetter(notificationId: string, timeoutMs?: number): Promise<DeadLetter>;
  stop(): Promise<void>;
}

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export async function startChannelWorker(
  channel: Channel,
  main: (env: Record<string, string | undefined>) => Promise<{ opsPort: number; stop(): Promise<void> }>,
  env: Record<string, string>,
): Promise<ChannelWorkerRig> {
  const namespace = `t-${randomUUID().slice(0, 8)}.`;
  const nsEnv = { ...process.env, KAFKA_NAMESPACE: namespace };
  const { brokers, registryUrl } = stackEnv(process.env);
  await provision(nsEnv);
  const cleanups: Array<() => Promise<void>> = [() => dropNamespace(nsEnv)];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${namespace}notifications.delivery-status`);
    cleanups.push(() => statuses.close());
    const deadLetters = await readTopic<DeadLetter>(brokers, registryUrl, `${namespace}notifications.dlq`);
    cleanups.push(() => deadLetters.close());
    const codec = await AvroCodec.connect(registryUrl, [dispatchTopic(channel)]);
    const producer: ProducerPort = createKafka({ clientId: `rig-${channel}`, brokers, logger: quiet, namespace }).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const worker = await main({
      ...process.env,
      LOG_LEVEL: 'warn',
      KAFKA_NAMESPACE: namespace,
      OPS_PORT: '0',
      RETRY_DELAYS_MS: '300',
      RETRY_MAX_RETRIES: '3',
      ...env,
    });
    cleanups.push(() => worker.stop());
    return {
      namespace,
      opsPort: worker.opsPort,
      statuses,
      deadLetters,
      dispatch: (...dispatches) =>
        producer.send(
          dispatches.map((d) => ({ topic: dispatchTopic(channel), key: d.recipient, value: codec.encode(dispatchTopic(channel), d) })),
        ),
      terminal: (id, timeoutMs = 45_000) =>
        waitFor(
          `terminal status of ${id}`,
          () => {
            const mine = statuses.records.map((r) => r.value).filter((s) => s.notification_id === id);
            return mine.some((s) => s.terminal) ? mine : undefined;
          },
          timeoutMs,
          100,
        ),
      deadLetter: (id, timeoutMs = 15_000) =>
        waitFor(`dead letter of ${id}`, () => deadLetters.records.find((r) => r.value.notification_id === id)?.value, timeoutMs, 100),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
