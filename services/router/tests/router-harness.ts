/**
 * A router process of its own for a broker test: a fresh Kafka namespace (provisioned here, dropped at
 * the end), a rules directory, the real router started through its main.ts, and Avro producers and
 * readers through the same codec and topic names the pipeline uses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import type { AcceptedEvent, Recipient, TopicName, ValueOf } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export interface RouterHarness {
  namespace: string;
  rulesFile: string;
  router: ServiceProcess;
  /** A null value is a tombstone. */
  produce<T extends TopicName>(topic: T, records: Array<{ key: string; value: ValueOf<T> | null }>): Promise<void>;
  read<T>(topic: string): Promise<TopicReader<T>>;
  /** Structured log lines of the router so far. */
  logLines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startRouter(options: { rulesYaml: string; env?: Record<string, string> }): Promise<RouterHarness> {
  const namespace = `rt-${randomUUID().slice(0, 8)}.`;
  const env = { ...process.env, KAFKA_NAMESPACE: namespace };
  const { brokers, registryUrl } = stackEnv(env);
  await provision(env).catch(async (error: unknown) => {
    await dropNamespace(env).catch(() => {});
    throw error;
  });
  const rulesDir = mkdtempSync(join(tmpdir(), 'router-rules-'));
  const rulesFile = join(rulesDir, 'rules.yaml');
  writeFileSync(rulesFile, options.rulesYaml);
  const readers: Array<TopicReader<unknown>> = [];
  let producer: ProducerPort | null = null;
  let router: ServiceProcess | null = null;
  const stop = async () => {
    await router?.stop();
    await Promise.all(readers.map((r) => r.close()));
    await producer?.disconnect();
    rmSync(rulesDir, { recursive: true, force: true });
    await dropNamespace(env);
  };
  try {
    router = await startService('router', { KAFKA_NAMESPACE: namespace, RULES_PATH: rulesDir, ...options.env });
    const codec = await AvroCodec.connect(registryUrl, ['notifications.accepted', 'notifications.recipients']);
    producer = createKafka({ clientId: 'router-test', brokers, logger: quiet, namespace }).producer();
    await producer.connect();
    const running = router;
    const connected = producer;
    return {
      namespace,
      rulesFile,
      router: running,
      produce: async (topic, records) => {
        await connected.send(records.map((r) => ({ topic, key: r.key, value: r.value === null ? null : codec.encode(topic, r.value) })));
      },
      read: async <T>(topic: string) => {
        const reader = await readTopic<T>(brokers, registryUrl, namespace + topic);
        readers.push(reader as TopicReader<unknown>);
        return reader;
      },
      logLines: () =>
        running.output
          .join('')
          .split('\n')
          .flatMap((line) => {
            try {
              const parsed: unknown = JSON.parse(line);
              return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
            } catch {
              return [];
            }
          }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function acceptedEvent(fields: Partial<AcceptedEvent> & Pick<AcceptedEvent, 'tenant'>): AcceptedEvent {
  return {
    event_id: `evt-${randomUUID()}`,
    type: 'DEAL_SCARCITY',
    producer: 'fomo-alert-engine',
    occurred_at: Date.now(),
    accepted_at: Date.now(),
    severity: 'critical',
    severity_label: 'high',
    payload: JSON.stringify({ deal_name: 'SpaceX Secondary Series N', remaining_capacity: 500000 }),
    dedupe_key: null,
    recipients: [],
    audience: null,
    labels: {},
    ...fields,
  };
}

export function recipient(tenant: string, userId: string, audiences: string[]): Recipient {
  return {
    tenant,
    user_id: userId,
    email: null,
    email_verified: false,
    phone: null,
    phone_verified: false,
    timezone: 'UTC',
    locale: 'en',
    audiences,
    push_subscriptions: [],
    chat: {},
    opted_out: [],
    devices: [],
    updated_at: Date.now(),
  };
}
