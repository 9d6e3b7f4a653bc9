/**
 * Throughput of one channel worker process against a local fake provider that answers every request
 * after a fixed latency (default 20 ms), in a namespace of its own:
 *
 *   npx tsx scripts/bench-channel.ts [--messages 2000] [--latency 20] [--cases sms,email,webhook,push,push-fcm,push-apns,slack,discord,teams,pagerduty,sms-serial]
 *
 * For each case: provision, start the fake (Twilio Messages, SendGrid mail send, a webhook receiver,
 * an HTTPS push service that verifies VAPID and decrypts each payload, FCM HTTP v1 with its OAuth2
 * token endpoint, APNs over HTTP/2 verifying each ES256 token, or a chat / incident API) and the worker (its main.ts, real Kafka and Postgres, the real provider SDK), produce all
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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { startDiscordFake } from '../tests/support/fakes/discord-fake';
import { startPagerDutyFake } from '../tests/support/fakes/pagerduty-fake';
import { startApnsFake } from '../tests/support/fakes/apns-fake';
import { startFcmFake } from '../tests/support/fakes/fcm-fake';
import { startPushFake } from '../tests/support/fakes/push-fake';
import { startScriptedFake } from '../tests/support/fakes/scripted-http';
import type { ScriptedServer } from '../tests/support/fakes/scripted-server';
import { startSlackFake } from '../tests/support/fakes/slack-fake';
import { startTeamsFake } from '../tests/support/fakes/teams-fake';
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
  start(latencyMs: number): Promise<{ fake: ScriptedServer; env: Record<string, string>; address: (i: number) => string | null }>;
}

const CASES: Record<string, BenchCase> = {
  sms: {
    name: 'sms (twilio)',
    channel: 'sms',
    service: 'channel-sms',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startTwilioFake({ latencyMs });
      return {
        fake,
        address: (i) => `+1555${String(1_000_000 + i)}`,
        env: {
          SMS_PROVIDER: 'twilio',
          TWILIO_ACCOUNT_SID: fake.accountSid,
          TWILIO_AUTH_TOKEN: fake.authToken,
          TWILIO_FROM: '+15005550001',
          TWILIO_BASE_URL: fake.url,
        },
      };
    },
  },
  'sms-serial': {
    name: 'sms (twilio), WORKER_CONCURRENCY=1',
    channel: 'sms',
    service: 'channel-sms',
    concurrency: 1,
    messageShare: 0.2,
    start: (latencyMs) => CASES.sms!.start(latencyMs),
  },
  email: {
    name: 'email (sendgrid)',
    channel: 'email',
    service: 'channel-email',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startSendGridFake({ latencyMs });
      return {
        fake,
        address: (i) => `user${i}@example.com`,
        env: { EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: fake.apiKey, SENDGRID_BASE_URL: fake.url },
      };
    },
  },
  webhook: {
    name: 'webhook (signed POST)',
    channel: 'webhook',
    service: 'channel-webhook',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startScriptedFake(() => ({ status: 204 }), { latencyMs });
      return {
        fake,
        address: () => null,
        env: {
          WEBHOOK_ENDPOINTS: JSON.stringify({ default: { url: `${fake.url}/hooks`, secrets: [WEBHOOK_SECRET] } }),
          WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
        },
      };
    },
  },
  push: {
    name: 'push (web-push, VAPID, aes128gcm)',
    channel: 'push',
    service: 'channel-push',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startPushFake({ latencyMs });
      const caFile = join(mkdtempSync(join(tmpdir(), 'bench-push-ca-')), 'ca.pem');
      writeFileSync(caFile, fake.certificate);
      const subscriptions = Array.from({ length: 500 }, () => JSON.stringify(fake.subscribe()));
      const vapid = generateVAPIDKeys();
      return {
        fake,
        address: (i) => subscriptions[i % subscriptions.length]!,
        env: {
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          VAPID_SUBJECT: 'mailto:bench@example.com',
          PUSH_ALLOW_NETWORKS: '127.0.0.1/32',
          PUSH_EXTRA_CA_FILE: caFile,
        },
      };
    },
  },
  'push-fcm': {
    name: 'push (FCM HTTP v1, Android)',
    channel: 'push',
    service: 'channel-push',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startFcmFake({ latencyMs });
      const dir = mkdtempSync(join(tmpdir(), 'bench-fcm-'));
      writeFileSync(join(dir, 'ca.pem'), fake.certificate);
      writeFileSync(join(dir, 'account.json'), JSON.stringify(fake.serviceAccount));
      const tokens = Array.from({ length: 500 }, () => fake.newToken());
      return {
        fake,
        address: (i) =>
          JSON.stringify([{ platform: 'android', token: tokens[i % tokens.length], app_id: 'com.example.bench', locale: null }]),
        env: {
          FCM_APPS: JSON.stringify({ default: { default: { service_account_file: join(dir, 'account.json'), api_url: fake.url } } }),
          PUSH_EXTRA_CA_FILE: join(dir, 'ca.pem'),
        },
      };
    },
  },
  'push-apns': {
    name: 'push (APNs HTTP/2, iOS)',
    channel: 'push',
    service: 'channel-push',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startApnsFake({ latencyMs, bundleId: 'com.example.bench' });
      const caFile = join(mkdtempSync(join(tmpdir(), 'bench-apns-')), 'ca.pem');
      writeFileSync(caFile, fake.certificate);
      const tokens = Array.from({ length: 500 }, () => fake.newToken());
      return {
        fake,
        address: (i) => JSON.stringify([{ platform: 'ios', token: tokens[i % tokens.length], app_id: 'com.example.bench', locale: null }]),
        env: {
          APNS_APPS: JSON.stringify({
            default: { default: { key: fake.keyPem, key_id: fake.keyId, team_id: fake.teamId, url: fake.url } },
          }),
          PUSH_EXTRA_CA_FILE: caFile,
        },
      };
    },
  },
  slack: {
    name: 'slack (incoming webhook)',
    channel: 'slack',
    service: 'channel-slack',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startSlackFake({ latencyMs });
      return {
        fake,
        address: () => null,
        env: {
          SLACK_DESTINATIONS: JSON.stringify({ default: fake.webhookUrl('bench') }),
          SLACK_API_URL: fake.apiUrl,
          SLACK_ALLOW_NETWORKS: '127.0.0.1/32',
        },
      };
    },
  },
  discord: {
    name: 'discord (webhook, embeds)',
    channel: 'discord',
    service: 'channel-discord',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startDiscordFake({ latencyMs });
      return {
        fake,
        address: () => null,
        env: { DISCORD_DESTINATIONS: JSON.stringify({ default: fake.webhookUrl('900') }), DISCORD_ALLOW_NETWORKS: '127.0.0.1/32' },
      };
    },
  },
  teams: {
    name: 'teams (workflow, Adaptive Card)',
    channel: 'teams',
    service: 'channel-teams',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startTeamsFake({ latencyMs });
      return {
        fake,
        address: () => null,
        env: { TEAMS_DESTINATIONS: JSON.stringify({ default: fake.workflowUrl('bench') }), TEAMS_ALLOW_NETWORKS: '127.0.0.1/32' },
      };
    },
  },
  pagerduty: {
    name: 'pagerduty (Events v2)',
    channel: 'pagerduty',
    service: 'channel-pagerduty',
    concurrency: 32,
    messageShare: 1,
    start: async (latencyMs) => {
      const fake = await startPagerDutyFake({ latencyMs });
      return {
        fake,
        address: () => null,
        env: {
          PAGERDUTY_ROUTING_KEYS: JSON.stringify({ default: 'B3NCHR0UT1NGKEY00000000000000001' }),
          PAGERDUTY_EVENTS_URL: fake.eventsUrl,
          PAGERDUTY_ALLOW_NETWORKS: '127.0.0.1/32',
        },
      };
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
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  const { fake, env, address } = await c.start(latencyMs);
  const service = await startService(c.service, {
    ...env,
    KAFKA_NAMESPACE: namespace,
    WORKER_CONCURRENCY: String(c.concurrency),
    LOG_LEVEL: 'warn',
  });
  const producer = new Kafka({ clientId: 'bench-channel', brokers, logLevel: logLevel.NOTHING }).producer();
  try {
    await producer.connect();
    const registry = new SchemaRegistry({ host: registryUrl });
    const topic = `notifications.dispatch.${c.channel}`;
    const schemaId = await registry.getLatestSchemaId(`${topic}-value`);
    const tenant = `bench${randomUUID().slice(0, 6)}`;
    const records = await Promise.all(
      Array.from({ length: messages }, async (_, i) => {
        const d = makeDispatch(c.channel, { tenant, user_id: `u${i % 500}`, address: address(i) });
        return { key: d.recipient, value: await registry.encode(schemaId, d) };
      }),
    );
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
  const names = argument('cases', Object.keys(CASES).join(',')).split(',');
  const rows = [
    '| worker (provider) | WORKER_CONCURRENCY | messages | provider latency | time | messages/s | max requests in flight |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    const c = CASES[name];
    if (!c) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(', ')}`);
    rows.push(await runCase(c, Math.max(50, Math.round(messages * c.messageShare)), latencyMs));
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
