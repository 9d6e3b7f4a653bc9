/**
 * A provider that hangs must not stall anything else: one tenant's webhook endpoint never answers
 * (bounded by WEBHOOK_TIMEOUT_MS), while another tenant's webhooks on the SAME partition, and in-app
 * deliveries in another worker, keep flowing. The hanging notification goes through the retry topic
 * and ends dead-lettered with the provider's reason after the policy's attempts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeadLetter, DeliveryStatus } from '@notify/schemas';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { stackEnv } from '../../scripts/src/stack-env';
import { dispatchProducer, makeDispatch, type DispatchProducer } from '../support/dispatches';
import { WEBHOOK_SECRET } from '../support/pipeline';
import { startServices, stopAll, type ServiceProcess } from '../support/services';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const SLOW = `slow${RUN}`;
const FAST = `fast${RUN}`;
const NAMESPACE = `t-${RUN}.`;
const { brokers, registryUrl } = stackEnv(process.env);

describe('a slow provider does not stall other deliveries', () => {
  let hanging: Server;
  let hangingUrl: string;
  let hangingRequests = 0;
  let receiver: WebhookReceiver;
  let services: ServiceProcess[] = [];
  let producer: DispatchProducer;
  let statuses: TopicReader<DeliveryStatus>;
  let letters: TopicReader<DeadLetter>;

  beforeAll(async () => {
    await provision({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
    hanging = createServer(() => {
      hangingRequests++;
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/never`;
    receiver = await startWebhookReceiver(WEBHOOK_SECRET);
    const env = {
      KAFKA_NAMESPACE: NAMESPACE,
      WEBHOOK_ENDPOINTS: JSON.stringify({
        [SLOW]: { url: hangingUrl, secrets: [WEBHOOK_SECRET] },
        [FAST]: { url: receiver.url, secrets: [WEBHOOK_SECRET] },
      }),
      WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
      WEBHOOK_TIMEOUT_MS: '1000',
      RETRY_DELAYS_MS: '2000',
      RETRY_MAX_RETRIES: '2',
      // One record at a time per partition: only the retry topic can keep the partition moving.
      WORKER_CONCURRENCY: '1',
    };
    services = await startServices(['channel-webhook', 'channel-inapp'], env);
    producer = await dispatchProducer(brokers, registryUrl);
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${NAMESPACE}notifications.delivery-status`);
    letters = await readTopic<DeadLetter>(brokers, registryUrl, `${NAMESPACE}notifications.dlq`);
  });

  afterAll(async () => {
    await statuses?.close();
    await letters?.close();
    await producer?.close();
    await stopAll(services);
    hanging?.closeAllConnections();
    await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
    await receiver?.close();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
  });

  const of = (id: string) => statuses.records.map((r) => r.value).filter((s) => s.notification_id === id);
  const terminal = (id: string) => waitFor(`terminal status of ${id}`, () => of(id).find((s) => s.terminal), 60_000);

  it('delivers the other tenant on the same partition, and in-app, while the slow endpoint is retried, then dead-letters it', async () => {
    const key = `shared-key-${RUN}`;
    const slow = makeDispatch('webhook', { tenant: SLOW, user_id: 'u1' });
    const fastBefore = makeDispatch('webhook', { tenant: FAST, user_id: 'u2' });
    await producer.send(NAMESPACE, slow, key);
    await producer.send(NAMESPACE, fastBefore, key);

    const firstRetry = await waitFor(
      'first retrying status of the slow webhook',
      () => of(slow.notification_id).find((s) => s.status === 'retrying'),
      30_000,
    );
    expect(firstRetry).toMatchObject({ attempt: 0, terminal: false, reason: expect.stringMatching(/TIMEOUT/i) });

    // While the slow notification waits on the retry topic, new work on the same partition flows.
    const fastAfter = makeDispatch('webhook', { tenant: FAST, user_id: 'u3' });
    const inapp = makeDispatch('inapp', { tenant: FAST, user_id: 'u3' });
    await producer.send(NAMESPACE, fastAfter, key);
    await producer.send(NAMESPACE, inapp);

    const delivered = await Promise.all([fastBefore, fastAfter, inapp].map((d) => terminal(d.notification_id)));
    expect(delivered.map((s) => s.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(
      receiver.received.filter((r) => [fastBefore.notification_id, fastAfter.notification_id].includes(String(r.headers['webhook-id']))),
    ).toHaveLength(2);

    const end = await terminal(slow.notification_id);
    expect(end).toMatchObject({ status: 'dead_lettered', attempt: 2, reason: expect.stringMatching(/TIMEOUT/i) });
    expect(end.detail).toMatch(/after 3 attempts/);
    // Everything else finished while the slow one was still being retried.
    for (const s of delivered) expect(s.at).toBeLessThan(end.at);
    expect(of(slow.notification_id).map((s) => s.status)).toEqual(['retrying', 'retrying', 'dead_lettered']);
    expect(hangingRequests).toBe(3);
    const letter = await waitFor('dead letter of the slow webhook', () =>
      letters.records.map((r) => r.value).find((l) => l.notification_id === slow.notification_id),
    );
    expect(letter).toMatchObject({ stage: 'channel-webhook', attempts: 3, original_topic: 'notifications.retry.webhook' });
  });
});
