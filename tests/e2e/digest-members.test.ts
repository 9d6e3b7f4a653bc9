/**
 * A batching rule end to end: events routed within one short window become one digest per channel,
 * and the channel workers close every member notification with the digest's outcome, so each member
 * ends with exactly one terminal status (routed → batched → queued → delivered). The digest message
 * lists its members, one line each from their type's `item` template.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_TEMPLATES_DIR } from '@notify/channel';
import type { DeliveryStatus, Event } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `dg${RUN}`;
const USER = `trader-${RUN}`;
const { brokers, registryUrl } = stackEnv(process.env);

const RULES = `
tenant: ${TENANT}
rules:
  - name: "Price alerts in a digest"
    event_type: "PRICE_ALERT"
    actions:
      - { type: "notify", channels: ["inapp", "webhook"], template: "price.alert", batching: { window: 3s } }
`;

/** The bundled shared texts plus a digest line for PRICE_ALERT, which ships none. */
function templatesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'notify-templates-'));
  const item = `PRICE_ALERT:\n  en: { title: "{{payload.symbol}}", body: "{{payload.symbol}}", item: "{{payload.symbol}} at {{payload.price | money: payload.currency, 'USD'}}" }\n`;
  writeFileSync(join(dir, 'all.yaml'), `${readFileSync(join(BUNDLED_TEMPLATES_DIR, 'all.yaml'), 'utf8')}${item}`);
  return dir;
}

function priceAlert(symbol: string): Event {
  return {
    event_id: `price-${randomUUID()}`,
    type: 'PRICE_ALERT',
    producer: 'market-data',
    tenant: TENANT,
    occurred_at: Date.now(),
    severity: 'low',
    payload: JSON.stringify({ user_id: USER, symbol, price: 101.5 }),
    dedupe_key: null,
    recipients: null,
    audience: null,
    labels: {},
  };
}

describe('digest members', () => {
  let pipeline: Pipeline;
  let producer: Producer;
  let statuses: TopicReader<DeliveryStatus>;
  const templates = templatesDir();

  beforeAll(async () => {
    pipeline = await startPipeline({ tenant: TENANT, rulesYaml: RULES, env: { TEMPLATES_DIR: templates } });
    producer = new Kafka({ clientId: 'digest-e2e-producer', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, pipeline.topic('notifications.delivery-status'));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await statuses?.close();
    await pipeline?.stop();
    rmSync(templates, { recursive: true, force: true });
  });

  it("ends every member notification of a digest with exactly one terminal status, the digest's", async () => {
    const registry = new SchemaRegistry({ host: registryUrl });
    const schemaId = await registry.getLatestSchemaId('notifications.events-value');
    const events = [priceAlert('AAPL'), priceAlert('MSFT'), priceAlert('TSLA')];
    await producer.send({
      topic: pipeline.topic('notifications.events'),
      messages: await Promise.all(events.map(async (e) => ({ key: e.event_id, value: await registry.encode(schemaId, e) }))),
    });
    const eventIds = new Set(events.map((e) => e.event_id));
    const all = () => statuses.records.map((r) => r.value).filter((s) => s.tenant === TENANT);

    const memberIds = await waitFor(
      'routed member notifications',
      () => {
        const routed = all().filter((s) => eventIds.has(s.event_id) && s.status === 'routed');
        return routed.length === 6 ? routed.map((s) => s.notification_id) : undefined;
      },
      60_000,
    );
    const digestIds = await waitFor(
      'two delivered digests (in-app and webhook)',
      () => {
        const delivered = all().filter((s) => s.type === 'DIGEST' && s.status === 'delivered');
        return delivered.length >= 2 ? delivered.map((s) => s.notification_id) : undefined;
      },
      60_000,
    );
    await waitFor(
      'terminal statuses of every member',
      () => memberIds.every((id) => all().some((s) => s.notification_id === id && s.terminal)) || undefined,
      30_000,
    );

    for (const id of memberIds) {
      const chain = all().filter((s) => s.notification_id === id);
      expect({ id, statuses: chain.map((s) => s.status) }).toEqual({ id, statuses: ['routed', 'batched', 'queued', 'delivered'] });
      expect(chain.filter((s) => s.terminal)).toHaveLength(1);
      const delivered = chain.find((s) => s.status === 'delivered');
      const queued = chain.find((s) => s.status === 'queued');
      // Closed by the worker of its own channel, with the digest the aggregator put it in.
      expect(delivered?.stage).toBe(`channel-${delivered?.channel}`);
      expect(digestIds.some((digest) => queued?.detail?.includes(digest) && delivered?.detail?.includes(digest))).toBe(true);
    }
    for (const id of digestIds) expect(all().filter((s) => s.notification_id === id && s.terminal)).toHaveLength(1);

    const hook = pipeline.receiver.received.find((r) => r.json.data.type === 'DIGEST' && r.json.data.tenant === TENANT);
    expect(hook?.json.data.title).toBe('3 notifications');
    const body = String(hook?.json.data.body).split('\n');
    expect(body.slice(0, 3)).toEqual(['3 Price Alert', '', 'Price Alert: 3']);
    expect(body.slice(3).sort()).toEqual(['- AAPL at $101.50', '- MSFT at $101.50', '- TSLA at $101.50']);
  });
});
