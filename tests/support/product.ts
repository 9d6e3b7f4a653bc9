/**
 * The whole product as a user runs it: every service (ingest, router, aggregator, api, tracker and all
 * ten channel workers) as its own process through its main.ts, each channel pointed at a local fake
 * of its provider that speaks the provider's API. Scenario tests start where a user starts (an event
 * over HTTP or Kafka, an API call) and look where a user looks (the fakes, the delivery-status topic,
 * the inbox); nothing here produces a stage's input.
 */
import { SERVICES } from '../../scripts/src/services';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { generateVAPIDKeys } from 'web-push';
import type { DeadLetter, DeliveryStatus, Event } from '@notify/schemas';
import { signUserToken } from '../../services/api/src/auth/jwt';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { stackEnv } from '../../scripts/src/stack-env';
import { startApnsFake, type ApnsFake } from './fakes/apns-fake';
import { startUserWebhookEndpoint, type UserWebhookEndpoint } from './fakes/user-webhook-endpoint';
import { startDiscordFake, type DiscordFake } from './fakes/discord-fake';
import { startFcmFake, type FcmFake } from './fakes/fcm-fake';
import { startPagerDutyFake, type PagerDutyFake } from './fakes/pagerduty-fake';
import { startPushFake, type PushFake } from './fakes/push-fake';
import { startSendGridFake, type SendGridFake } from './fakes/sendgrid-fake';
import { startSlackFake, type SlackFake } from './fakes/slack-fake';
import { startTeamsFake, type TeamsFake } from './fakes/teams-fake';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake';
import { WEBHOOK_SECRET } from './pipeline';
import { freePort } from './ports';
import { startService, stopAll, type ServiceProcess } from './services';
import { readTopic, type TopicReader } from './topic-reader';
import { waitFor } from './wait';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export interface Fakes {
  webhook: WebhookReceiver;
  sendgrid: SendGridFake;
  /** One Twilio account serves SMS (Messages) and voice (Calls). */
  twilio: TwilioFake;
  push: PushFake;
  /** Android push: FCM HTTP v1 (OAuth2 token endpoint and messages:send). */
  fcm: FcmFake;
  /** iOS push: APNs over HTTP/2; its app (bundle id) is MOBILE_APP_ID. */
  apns: ApnsFake;
  slack: SlackFake;
  discord: DiscordFake;
  teams: TeamsFake;
  pagerduty: PagerDutyFake;
  /** A user's own HTTPS webhook endpoint (PUT /v1/contacts/chat/webhook), trusted by channel-webhook. */
  userWebhook: UserWebhookEndpoint;
}

export interface Product {
  tenant: string;
  namespace: string;
  fakes: Fakes;
  services: Map<string, ServiceProcess>;
  ingestUrl: string;
  apiUrl: string;
  apiKey: string;
  /** Where the email, SMS and voice workers take provider callbacks. */
  feedbackUrls: { sendgrid: string; sms: string; voice: string };
  statuses: TopicReader<DeliveryStatus>;
  deadLetters: TopicReader<DeadLetter>;
  /** A user's token; of another tenant (ProductOptions.otherTenants) when `tenant` is given. */
  userToken(userId: string, tenant?: string): string;
  operatorToken(tenant?: string): string;
  /** An HTTP call to the API with a bearer token; JSON in and out. */
  api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** POST /v1/events on the ingest gateway. */
  postEvent(event: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** POST /v1/events with the producer key of another tenant (ProductOptions.otherTenants). */
  postEventAs(tenant: string, event: Record<string, unknown>): Promise<{ status: number; json: any }>;
  /** Produces an Event to notifications.events with the registry's serializer, as a Kafka producer would. */
  produceEvent(event: Event): Promise<void>;
  statusesOf(eventId: string): DeliveryStatus[];
  /** Waits until every notification of the event seen so far has a terminal status and at least `count` notifications closed. */
  terminals(eventId: string, count: number, timeoutMs?: number): Promise<DeliveryStatus[]>;
  stop(): Promise<void>;
}

export const ALL_SERVICES = SERVICES;

/** The app id (Android package, iOS bundle id) the push worker has FCM and APNs settings for. */
export const MOBILE_APP_ID = 'com.example.trading';

async function startFakes(): Promise<Fakes> {
  const [webhook, sendgrid, twilio, push, fcm, apns, slack, discord, teams, pagerduty, userWebhook] = await Promise.all([
    startWebhookReceiver(WEBHOOK_SECRET),
    startSendGridFake(),
    startTwilioFake(),
    startPushFake(),
    startFcmFake(),
    startApnsFake({ bundleId: MOBILE_APP_ID }),
    startSlackFake(),
    startDiscordFake(),
    startTeamsFake(),
    startPagerDutyFake(),
    startUserWebhookEndpoint(),
  ]);
  return { webhook, sendgrid, twilio, push, fcm, apns, slack, discord, teams, pagerduty, userWebhook };
}

export interface ProductOptions {
  tenant: string;
  rulesYaml: string;
  /** More tenants, each with its own rule file and producer key (`postEventAs`). */
  otherTenants?: Array<{ tenant: string; rulesYaml: string }>;
  /** Extra settings for one service, by service name. */
  env?: Partial<Record<(typeof ALL_SERVICES)[number], Record<string, string>>>;
}

export async function startProduct(options: ProductOptions): Promise<Product> {
  const { tenant } = options;
  const namespace = `s-${randomUUID().slice(0, 8)}.`;
  const { brokers, registryUrl } = stackEnv(process.env);
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  const cleanups: Array<() => Promise<unknown>> = [() => dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const fakes = await startFakes();
    cleanups.push(() => Promise.all(Object.values(fakes).map((f) => f.close())));

    const dir = mkdtempSync(join(tmpdir(), 'notify-product-'));
    const rulesDir = join(dir, 'rules');
    mkdirSync(rulesDir);
    writeFileSync(join(rulesDir, 'rules.yaml'), options.rulesYaml);
    const others = options.otherTenants ?? [];
    for (const other of others) writeFileSync(join(rulesDir, `rules-${other.tenant}.yaml`), other.rulesYaml);
    // The three push services' certificates (distinct subjects, so one file can trust them all).
    const caFile = join(dir, 'push-ca.pem');
    writeFileSync(caFile, [fakes.push.certificate, fakes.fcm.certificate, fakes.apns.certificate].join('\n'));
    const userWebhookCa = join(dir, 'user-webhook-ca.pem');
    writeFileSync(userWebhookCa, fakes.userWebhook.certificate);
    const fcmAccountFile = join(dir, 'fcm-service-account.json');
    writeFileSync(fcmAccountFile, JSON.stringify(fakes.fcm.serviceAccount));
    const mobilePush = {
      FCM_APPS: JSON.stringify({
        default: {
          [MOBILE_APP_ID]: { service_account_file: fcmAccountFile, api_url: fakes.fcm.url, deep_link_base: 'trading://notifications/' },
        },
      }),
      APNS_APPS: JSON.stringify({
        default: {
          [MOBILE_APP_ID]: {
            key: fakes.apns.keyPem,
            key_id: fakes.apns.keyId,
            team_id: fakes.apns.teamId,
            url: fakes.apns.url,
            deep_link_base: 'trading://notifications/',
          },
        },
      }),
    };

    const [ingestPort, apiPort, sendgridPort, smsPort, voicePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const apiKey = `key-${tenant}-${randomBytes(6).toString('hex')}`;
    const otherKeys = new Map(others.map((o) => [o.tenant, `key-${o.tenant}-${randomBytes(6).toString('hex')}`]));
    const jwtSecret = randomBytes(32).toString('base64url');
    // The API seals one-time codes; only channel-sms holds the same key to open them.
    const sealingKeys = `scenario:${randomBytes(32).toString('base64')}`;
    const unsubscribeSecret = randomBytes(32).toString('base64url');
    const vapid = generateVAPIDKeys();
    const twilio = {
      TWILIO_ACCOUNT_SID: fakes.twilio.accountSid,
      TWILIO_AUTH_TOKEN: fakes.twilio.authToken,
      TWILIO_FROM: '+15005550001',
      TWILIO_BASE_URL: fakes.twilio.url,
    };
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const loopback = '127.0.0.1/32';
    // Fifteen processes share one PostgreSQL: small pools and few concurrent sends each.
    const common = {
      KAFKA_NAMESPACE: namespace,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '4',
      DATABASE_POOL_SIZE: '3',
      RETRY_DELAYS_MS: '300',
      RETRY_MAX_RETRIES: '2',
    };
    const envOf: Record<(typeof ALL_SERVICES)[number], Record<string, string>> = {
      ingest: {
        HTTP_PORT: String(ingestPort),
        HTTP_HOST: '127.0.0.1',
        INGEST_API_KEYS: [[tenant, apiKey], ...otherKeys].map(([t, k]) => `${t}:${k}`).join(','),
      },
      router: { RULES_PATH: rulesDir },
      aggregator: {},
      api: {
        HTTP_PORT: String(apiPort),
        HTTP_HOST: '127.0.0.1',
        JWT_SECRET: jwtSecret,
        CODE_HASH_SECRET: randomBytes(32).toString('base64url'),
        SEALING_KEYS: sealingKeys,
        UNSUBSCRIBE_SECRET: unsubscribeSecret,
        API_INSTANCE_ID: `scenario-${namespace.slice(2, 10)}`,
        // What channel-email and channel-sms render with, so a template preview shows what they send.
        UNSUBSCRIBE_BASE_URL: `${apiUrl}/v1/unsubscribe`,
        SMS_MAX_SEGMENTS: '2',
      },
      tracker: {},
      'channel-webhook': {
        WEBHOOK_PROVIDER: 'http',
        WEBHOOK_ENDPOINTS: JSON.stringify({ [tenant]: { url: fakes.webhook.url, secrets: [WEBHOOK_SECRET] } }),
        WEBHOOK_ALLOW_NETWORKS: loopback,
        NODE_EXTRA_CA_CERTS: userWebhookCa,
      },
      'channel-inapp': {},
      'channel-email': {
        EMAIL_PROVIDER: 'sendgrid',
        SENDGRID_API_KEY: fakes.sendgrid.apiKey,
        SENDGRID_BASE_URL: fakes.sendgrid.url,
        SENDGRID_WEBHOOK_PUBLIC_KEY: fakes.sendgrid.webhookPublicKey,
        FEEDBACK_PORT: String(sendgridPort),
        EMAIL_FROM: 'alerts@example.com',
        UNSUBSCRIBE_BASE_URL: `${apiUrl}/v1/unsubscribe`,
        UNSUBSCRIBE_SECRET: unsubscribeSecret,
      },
      'channel-sms': { SMS_PROVIDER: 'twilio', ...twilio, FEEDBACK_PORT: String(smsPort), SEALING_KEYS: sealingKeys },
      'channel-voice': { VOICE_PROVIDER: 'twilio', ...twilio, FEEDBACK_PORT: String(voicePort) },
      'channel-push': {
        PUSH_PROVIDER: 'web-push',
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.com',
        PUSH_ALLOW_NETWORKS: loopback,
        PUSH_EXTRA_CA_FILE: caFile,
        ...mobilePush,
      },
      'channel-slack': {
        SLACK_PROVIDER: 'http',
        SLACK_DESTINATIONS: JSON.stringify({ [tenant]: fakes.slack.webhookUrl('trading-desk') }),
        SLACK_BOT_TOKENS: JSON.stringify({ [tenant]: fakes.slack.botToken }),
        SLACK_API_URL: fakes.slack.apiUrl,
        SLACK_ALLOW_NETWORKS: loopback,
      },
      'channel-discord': {
        DISCORD_PROVIDER: 'http',
        DISCORD_DESTINATIONS: JSON.stringify({ [tenant]: fakes.discord.webhookUrl('777') }),
        DISCORD_ALLOW_NETWORKS: loopback,
      },
      'channel-teams': {
        TEAMS_PROVIDER: 'http',
        TEAMS_DESTINATIONS: JSON.stringify({ [tenant]: fakes.teams.workflowUrl('ops') }),
        TEAMS_ALLOW_NETWORKS: loopback,
      },
      'channel-pagerduty': {
        PAGERDUTY_PROVIDER: 'http',
        PAGERDUTY_ROUTING_KEYS: JSON.stringify({ [tenant]: 'R0UT1NGKEY0000000000000000000001' }),
        PAGERDUTY_EVENTS_URL: fakes.pagerduty.eventsUrl,
        PAGERDUTY_ALLOW_NETWORKS: loopback,
      },
    };
    const services = new Map<string, ServiceProcess>();
    cleanups.push(() => stopAll([...services.values()]));
    // Three at a time: fifteen cold starts at once on two cores would time out their readiness waits.
    const queue = [...ALL_SERVICES];
    const starter = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const env = { ...common, ...envOf[name], ...options.env?.[name] };
        // A free port picked for the ops server can be taken by another process before the child binds it: try once more.
        services.set(
          name,
          await startService(name, env).catch((error: unknown) => {
            if (!String(error).includes('EADDRINUSE')) throw error;
            return startService(name, env);
          }),
        );
      }
    };
    await Promise.all([starter(), starter(), starter()]);

    const statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${namespace}notifications.delivery-status`);
    cleanups.push(() => statuses.close());
    const deadLetters = await readTopic<DeadLetter>(brokers, registryUrl, `${namespace}notifications.dlq`);
    cleanups.push(() => deadLetters.close());
    const registry = new SchemaRegistry({ host: registryUrl });
    const producer: Producer = new Kafka({ clientId: 'scenario-producer', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    const ingestUrl = `http://127.0.0.1:${ingestPort}`;
    const json = async (response: Response) => {
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : null };
    };
    const statusesOf = (eventId: string) => statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
    return {
      tenant,
      namespace,
      fakes,
      services,
      ingestUrl,
      apiUrl,
      apiKey,
      feedbackUrls: {
        sendgrid: `http://127.0.0.1:${sendgridPort}/sendgrid/events`,
        sms: `http://127.0.0.1:${smsPort}`,
        voice: `http://127.0.0.1:${voicePort}`,
      },
      statuses,
      deadLetters,
      userToken: (userId, of = tenant) => signUserToken(jwtSecret, { tenant: of, userId, role: 'user' }, 3600),
      operatorToken: (of = tenant) => signUserToken(jwtSecret, { tenant: of, userId: 'scenario-operator', role: 'operator' }, 3600),
      api: async (token, method, path, body) =>
        json(
          await fetch(`${apiUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        ),
      postEvent: async (event, headers = {}) =>
        json(
          await fetch(`${ingestUrl}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
            body: JSON.stringify(event),
          }),
        ),
      postEventAs: async (of, event) =>
        json(
          await fetch(`${ingestUrl}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${otherKeys.get(of) ?? '?'}` },
            body: JSON.stringify(event),
          }),
        ),
      produceEvent: async (event) => {
        const id = await registry.getLatestSchemaId('notifications.events-value');
        await producer.send({
          topic: `${namespace}notifications.events`,
          messages: [{ key: event.dedupe_key ?? event.event_id, value: await registry.encode(id, event) }],
        });
      },
      statusesOf,
      terminals: (eventId, count, timeoutMs = 60_000) =>
        waitFor(
          `${count} terminal statuses of ${eventId}`,
          () => {
            const mine = statusesOf(eventId).filter((s) => s.channel !== null);
            const ids = new Set(mine.map((s) => s.notification_id));
            const closed = mine.filter((s) => s.terminal);
            return closed.length >= count && closed.length >= ids.size ? closed : undefined;
          },
          timeoutMs,
          100,
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Gives a user a verified phone number the way a person does: set it, ask for a code, read the code
 * off the text that reaches the Twilio fake through the SMS channel, and confirm it.
 */
export async function verifyPhone(product: Product, userId: string, phone: string): Promise<void> {
  const token = product.userToken(userId);
  const set = await product.api(token, 'PUT', '/v1/contacts/phone', { phone });
  if (set.status !== 200) throw new Error(`PUT /v1/contacts/phone answered ${set.status}: ${JSON.stringify(set.json)}`);
  const start = await product.api(token, 'POST', '/v1/contacts/phone/verification/start');
  if (start.status !== 202) throw new Error(`verification start answered ${start.status}: ${JSON.stringify(start.json)}`);
  const sms = await waitFor(`verification text to ${phone}`, () => product.fakes.twilio.sent().find((m) => m.To === phone));
  const code = /\b(\d{6})\b/.exec(sms.Body ?? '')?.[1];
  const confirmed = await product.api(token, 'POST', '/v1/contacts/phone/verification/confirm', { code });
  if (confirmed.status !== 200 || confirmed.json.phone_verified !== true)
    throw new Error(`confirm answered ${confirmed.status}: ${JSON.stringify(confirmed.json)}`);
}
