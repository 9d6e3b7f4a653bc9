/**
 * One event end to end through real Kafka, the real registry and real Postgres: seed 001's
 * ORDER_FILLED and MARGIN_CALL produced straight to Kafka, one more through HTTP, and malformed
 * records that must be rejected without stopping the next good event.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DeadLetter, DeliveryStatus, Event, RejectedEvent } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { inappWebhookRules, MARGIN_CALL_RULE, ORDER_FILLED_RULE, seedEvent as seedEventFor, type SeedType } from '../support/seed';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `e2e${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);

const RULES = inappWebhookRules(TENANT, [ORDER_FILLED_RULE, MARGIN_CALL_RULE]);

function seedEvent(type: SeedType, user: string): Event {
  return seedEventFor(type, user, { event_id: `${type.toLowerCase()}-${randomUUID()}`, tenant: TENANT });
}

describe('walking skeleton', () => {
  let pipeline: Pipeline;
  let producer: Producer;
  let registry: SchemaRegistry;
  let statuses: TopicReader<DeliveryStatus>;
  let rejected: TopicReader<RejectedEvent>;
  let deadLetters: TopicReader<DeadLetter>;
  let db: Client;

  beforeAll(async () => {
    // Short retry delays: a 503 without Retry-After would otherwise wait the webhook policy's 30 s.
    pipeline = await startPipeline({ tenant: TENANT, rulesYaml: RULES, env: { RETRY_DELAYS_MS: '500' } });
    registry = new SchemaRegistry({ host: registryUrl });
    producer = new Kafka({ clientId: 'e2e-producer', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, pipeline.topic('notifications.delivery-status'));
    rejected = await readTopic<RejectedEvent>(brokers, registryUrl, pipeline.topic('notifications.events.rejected'));
    deadLetters = await readTopic<DeadLetter>(brokers, registryUrl, pipeline.topic('notifications.dlq'));
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await statuses?.close();
    await rejected?.close();
    await deadLetters?.close();
    await db?.end();
    await pipeline?.stop();
  });

  async function produceEvent(event: Event): Promise<void> {
    const id = await registry.getLatestSchemaId('notifications.events-value');
    await producer.send({
      topic: pipeline.topic('notifications.events'),
      messages: [{ key: event.dedupe_key ?? event.event_id, value: await registry.encode(id, event) }],
    });
  }

  function statusesOf(eventId: string): DeliveryStatus[] {
    return statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
  }

  /** webhookRetries: `retrying` statuses the webhook notification passes through (retry topic) before delivery. */
  async function expectDelivered(eventId: string, user: string, webhookRetries = 0): Promise<void> {
    // Each event fans out to two notifications (in-app and webhook) that must each end delivered.
    const perChannel = await waitFor(
      `delivered statuses of ${eventId}`,
      () => {
        const mine = statusesOf(eventId).filter((s) => s.channel !== null);
        const delivered = mine.filter((s) => s.status === 'delivered');
        return delivered.length >= 2 ? mine : undefined;
      },
      60_000,
    );
    expect(
      statusesOf(eventId)
        .filter((s) => s.channel === null)
        .map((s) => s.status),
    ).toEqual(['accepted']);
    for (const channel of ['inapp', 'webhook']) {
      const chain = perChannel.filter((s) => s.channel === channel);
      const retries = channel === 'webhook' ? webhookRetries : 0;
      expect(chain.map((s) => s.status)).toEqual(['routed', 'queued', ...Array<string>(retries).fill('retrying'), 'delivered']);
      expect(new Set(chain.map((s) => s.notification_id)).size).toBe(1);
      expect(chain.filter((s) => s.terminal)).toHaveLength(1);
      expect(chain.every((s) => s.recipient === `${TENANT}/${user}`)).toBe(true);
    }

    const hook = await waitFor(`webhook for ${eventId}`, () => pipeline.receiver.received.find((r) => r.json.data.event_id === eventId));
    expect(hook.verified).toBe(true);
    expect(hook.headers['webhook-id']).toBe(perChannel.find((s) => s.channel === 'webhook')?.notification_id);
    expect(String(hook.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/=]+$/);

    const rows = await db.query('select user_id, tenant, type, title from inbox where event_id = $1', [eventId]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ user_id: user, tenant: TENANT });
  }

  it('delivers seed 001 ORDER_FILLED and MARGIN_CALL produced straight to Kafka', async () => {
    const order = seedEvent('ORDER_FILLED', `user123-${RUN}`);
    const margin = seedEvent('MARGIN_CALL', `user123-${RUN}`);
    await produceEvent(order);
    await produceEvent(margin);
    await expectDelivered(order.event_id, `user123-${RUN}`);
    await expectDelivered(margin.event_id, `user123-${RUN}`);
    const inbox = await db.query('select title from inbox where event_id = $1', [margin.event_id]);
    // Seed 001's rule names risk.margin_call: its text, not the event type's.
    expect(inbox.rows[0].title).toBe('Margin call on account acc789');
  });

  it('delivers an event posted over HTTP', async () => {
    const response = await fetch(`${pipeline.httpUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pipeline.apiKey}` },
      body: JSON.stringify({
        event_id: `http-${randomUUID()}`,
        type: 'ORDER_FILLED',
        producer: 'trading-system',
        payload: { user_id: `user456-${RUN}`, order_id: 'order456', symbol: 'AAPL', quantity: 100, price: 150.25 },
        severity: 'medium',
        dedupe_key: `order456-${RUN}`,
      }),
    });
    expect(response.status).toBe(202);
    const { event_id } = (await response.json()) as { event_id: string };
    await expectDelivered(event_id, `user456-${RUN}`);
  });

  it('answers 400 with field errors and 401 without a key over HTTP', async () => {
    const bad = await fetch(`${pipeline.httpUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pipeline.apiKey}` },
      body: JSON.stringify({ type: 'ORDER FILLED', severity: 'apocalyptic', payload: [] }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; fields: Array<{ field: string }> } };
    expect(body.error.code).toBe('invalid_event');
    expect(body.error.fields.map((f) => f.field).sort()).toEqual(['payload', 'producer']);
    const unauthorised = await fetch(`${pipeline.httpUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unauthorised.status).toBe(401);
  });

  it('rejects a record that is not Avro and one of the wrong schema, and still delivers the next event', async () => {
    const [notAvro] = await producer.send({
      topic: pipeline.topic('notifications.events'),
      messages: [{ key: `junk-${RUN}`, value: Buffer.from('{"this is":"json, not avro"}') }],
    });
    const ackSchemaId = await registry.getLatestSchemaId('notifications.acks-value');
    const wrongSchema = await registry.encode(ackSchemaId, {
      tenant: TENANT,
      user_id: 'u',
      notification_id: 'n',
      event_id: null,
      action: 'acknowledged',
      at: Date.now(),
    });
    const [wrong] = await producer.send({
      topic: pipeline.topic('notifications.events'),
      messages: [{ key: `wrong-${RUN}`, value: wrongSchema }],
    });
    const next = seedEvent('ORDER_FILLED', `user789-${RUN}`);
    await produceEvent(next);
    await expectDelivered(next.event_id, `user789-${RUN}`);

    const mine = await waitFor('two rejected records', () => {
      const found = rejected.records.map((r) => r.value).filter((r) => r.key === `junk-${RUN}` || r.key === `wrong-${RUN}`);
      return found.length >= 2 ? found : undefined;
    });
    const junk = mine.find((r) => r.key === `junk-${RUN}`);
    expect(junk).toMatchObject({
      code: 'undecodable',
      source_topic: pipeline.topic('notifications.events'),
      source_offset: notAvro?.baseOffset,
    });
    expect(junk?.raw?.toString()).toBe('{"this is":"json, not avro"}');
    const other = mine.find((r) => r.key === `wrong-${RUN}`);
    expect(other).toMatchObject({ code: 'wrong_schema', source_offset: wrong?.baseOffset });
    expect(other?.reason).toMatch(/Ack.*expected notifications\.v1\.Event/);
  });

  it('suppresses a second event with a dedupe key already used in the window', async () => {
    const first = seedEvent('ORDER_FILLED', `user999-${RUN}`);
    const second = { ...seedEvent('ORDER_FILLED', `user999-${RUN}`), dedupe_key: first.dedupe_key };
    await produceEvent(first);
    await produceEvent(second);
    await expectDelivered(first.event_id, `user999-${RUN}`);
    const dup = await waitFor('duplicate status', () => statusesOf(second.event_id).find((s) => s.status === 'suppressed'));
    expect(dup).toMatchObject({ reason: 'duplicate', terminal: true, channel: null });
    expect(statusesOf(second.event_id).filter((s) => s.status !== 'suppressed')).toEqual([]);
  });

  it('retries a webhook answered 503 and delivers it once the endpoint recovers', async () => {
    pipeline.receiver.failNext({ status: 503 }, { status: 503, headers: { 'retry-after': '0' } });
    const event = seedEvent('ORDER_FILLED', `user503-${RUN}`);
    await produceEvent(event);
    await expectDelivered(event.event_id, `user503-${RUN}`, 2);
    expect(pipeline.receiver.received.filter((r) => r.json.data.event_id === event.event_id)).toHaveLength(1);
  });

  it('dead-letters a webhook answered 410 with the reason and closes it as dead_lettered', async () => {
    pipeline.receiver.failNext({ status: 410 });
    const event = seedEvent('ORDER_FILLED', `user410-${RUN}`);
    await produceEvent(event);
    const webhookChain = await waitFor(
      'dead_lettered webhook notification',
      () => {
        const chain = statusesOf(event.event_id).filter((s) => s.channel === 'webhook');
        return chain.some((s) => s.terminal) ? chain : undefined;
      },
      60_000,
    );
    expect(webhookChain.map((s) => s.status)).toEqual(['routed', 'queued', 'dead_lettered']);
    expect(webhookChain[2]).toMatchObject({ reason: 'http_410', terminal: true });
    const id = webhookChain[0]?.notification_id;
    const letter = await waitFor('dead letter', () => deadLetters.records.map((r) => r.value).find((d) => d.notification_id === id));
    expect(letter).toMatchObject({ stage: 'channel-webhook', code: 'http_410', original_topic: 'notifications.dispatch.webhook' });
    expect(letter.original?.readUInt8(0)).toBe(0);
    await waitFor('in-app delivered anyway', () =>
      statusesOf(event.event_id).find((s) => s.channel === 'inapp' && s.status === 'delivered'),
    );
  });
});
