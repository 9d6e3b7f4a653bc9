/**
 * Throughput of one channel worker process against a local fake provider that answers every request
 * after a fixed latency (default 20 ms), in a namespace of its own:
 *
 *   npx tsx scripts/bench-channel.ts [--messages 2000] [--latency 20] [--cases sms,email,webhook,sms-serial]
 *
 * For each case: provision, start the fake (Twilio Messages, SendGrid mail send, or a webhook
 * receiver) and the worker (its main.ts, real Kafka and Postgres, the real provider SDK), produce all
 * dispatches up front over many recipient keys, and time from the first produce to the fake's last
 * accepted request. The fake counts requests in flight, which shows whether the worker keeps many
 * provider calls open (WORKER_CONCURRENCY × partitions) or calls one at a time. Prints one Markdown
 * table row per case.
 */
import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import type { Channel } from '@notify/schemas';
import { makeDispatch } from '../tests/support/dispatches';
import { startScriptedFake, type ScriptedHttpFake } from '../tests/support/fakes/scripted-http';
import { startSendGridFake } from '../tests/support/fakes/sendgrid-fake';
import { startTwilioFake } from '../tests/support/fakes/twilio-fake';
import { WEBHOOK_SECRET } from '../tests/support/pipeline';
import { startService } from '../tests/support/services';
import { waitFor } from '../tests/support/wait';
import { dropNamespace, provision } from './src/provision';
import { stackEnv } from './src/stack-env';

interface BenchCase {
  name: string;
  channel: Channel;
  service: string;
  concurrency: number;
  messageShare: number;
  start(latencyMs: number): Promise<{ fake: ScriptedHttpFake; env: Record<string, string>; address: (i: number) => string | null }>;
}

const CASES: Record<string, BenchCase> = {
  sms: {
    name: 'sms (twilio)', channel: 'sms', service: 'channel-sms', concurrency: 32, messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startTwilioFake({ latencyMs });
      return { fake, address: (i) => `+1555${String(1_000_000 + i)}`, env: { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550001', TWILIO_BASE_URL: fake.url } };
    },
  },
  'sms-serial': {
    name: 'sms (twilio), WORKER_CONCURRENCY=1', channel: 'sms', service: 'channel-sms', concurrency: 1, messageShare: 0.2,
    start: (latencyMs) => CASES.sms!.start(latencyMs),
  },
  email: {
    name: 'email (sendgrid)', channel: 'email', service: 'channel-email', concurrency: 32, messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startSendGridFake({ latencyMs });
      return { fake, address: (i) => `user${i}@example.com`, env: { EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: fake.apiKey, SENDGRID_BASE_URL: fake.url } };
    },
  },
  webhook: {
    name: 'webhook (signed POST)', channel: 'webhook', service: 'channel-webhook', concurrency: 32, messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startScriptedFake(() => ({ status: 204 }), { latencyMs });
      return { fake, address: () => null, env: { WEBHOOK_ENDPOINTS: JSON.stringify({ default: { url: `${fake.url}/hooks`, secrets: [WEBHOOK_SECRET] } }), WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' } };
    },
  },
};

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function runCase(c: BenchCase, messages: number, latencyMs: number): Promise<string> {
  const { brokers, registryUrl } = stackEnv(process.env);
  const namespace = `bench-${randomUUID().slice(0, 8)}.`;
  // Topic creation can race leader election on a loaded broker; try again rather than lose the run.
  for (let attempt = 1; ; attempt++) {
    try {
      await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  const { fake, env, address } = await c.start(latencyMs);
  const service = await startService(c.service, { ...env, KAFKA_NAMESPACE: namespace, WORKER_CONCURRENCY: String(c.concurrency), LOG_LEVEL: 'warn' });
  const producer = new Kafka({ clientId: 'bench-channel', brokers, logLevel: logLevel.NOTHING }).producer();
  try {
    await producer.connect();
    const registry = new SchemaRegistry({ host: registryUrl });
    const topic = `notifications.dispatch.${c.channel}`;
    const schemaId = await registry.getLatestSchemaId(`${topic}-value`);
    const tenant = `bench${randomUUID().slice(0, 6)}`;
    const records = await Promise.all(Array.from({ length: messages }, async (_, i) => {
      const d = makeDispatch(c.channel, { tenant, user_id: `u${i % 500}`, address: address(i) });
      return { key: d.recipient, value: await registry.encode(schemaId, d) };
    }));
    const started = Date.now();
    for (let i = 0; i < records.length; i += 500) await producer.send({ topic: namespace + topic, messages: records.slice(i, i + 500) });
    await waitFor(`${messages} ${c.channel} sends`, () => (fake.accepted.length >= messages ? true : undefined), 600_000, 20);
    const seconds = (Date.now() - started) / 1000;
    return `| ${c.name} | ${c.concurrency} | ${messages} | ${latencyMs} ms | ${seconds.toFixed(2)} s | ${Math.round(messages / seconds)} | ${fake.maxInFlight()} |`;
  } finally {
    await producer.disconnect();
    await service.stop();
    await fake.close();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
  }
}

async function main(): Promise<void> {
  const messages = Number(argument('messages', '2000'));
  const latencyMs = Number(argument('latency', '20'));
  const names = argument('cases', 'sms,email,webhook,sms-serial').split(',');
  const rows = ['| worker (provider) | WORKER_CONCURRENCY | messages | provider latency | time | messages/s | max requests in flight |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const name of names) {
    const c = CASES[name];
    if (!c) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(', ')}`);
    rows.push(await runCase(c, Math.max(50, Math.round(messages * c.messageShare)), latencyMs));
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
