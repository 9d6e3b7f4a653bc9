/**
 * Every channel worker runs without provider credentials: its real main(), on real Kafka and
 * Postgres, falls back to the sandbox provider, records the rendered message in channel_outbox and
 * reports it delivered by `sandbox`; its ops port answers /health and /health/ready and its metrics
 * count that one message. Workers are started one at a time and stopped after their check.
 */
import type { Channel, DeliveryStatus } from '@notify/schemas';
import { createDb, type Db } from '@notify/db';
import { stackEnv } from '../../scripts/src/stack-env';
import { main as discord } from '../../services/channel-discord/src/main';
import { main as email } from '../../services/channel-email/src/main';
import { main as pagerduty } from '../../services/channel-pagerduty/src/main';
import { main as push } from '../../services/channel-push/src/main';
import { main as slack } from '../../services/channel-slack/src/main';
import { main as sms } from '../../services/channel-sms/src/main';
import { main as teams } from '../../services/channel-teams/src/main';
import { main as voice } from '../../services/channel-voice/src/main';
import { main as webhook } from '../../services/channel-webhook/src/main';
import { samples } from '../observability/metrics-text';
import { startChannelWorker } from '../support/fakes/channel-worker-rig';
import { waitFor } from '../support/wait';
import { sampleDispatch } from '../support/fakes/sample-dispatch';
import { testContactCipher } from '../support/test-contact-cipher';

jest.setTimeout(60_000);

type Main = Parameters<typeof startChannelWorker>[1];

/** Credentials and destinations blanked explicitly, so a variable set in the shell cannot pick a real provider. */
const noTwilio = { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' };
const workers: Array<{ channel: Channel; main: Main; env: Record<string, string>; address: string | null }> = [
  { channel: 'email', main: email, env: { SENDGRID_API_KEY: '', SMTP_URL: '' }, address: 'trader@example.com' },
  { channel: 'sms', main: sms, env: noTwilio, address: '+15551230001' },
  { channel: 'voice', main: voice, env: noTwilio, address: '+15551230002' },
  { channel: 'push', main: push, env: { VAPID_PUBLIC_KEY: '', VAPID_PRIVATE_KEY: '' }, address: null },
  { channel: 'slack', main: slack, env: { SLACK_DESTINATIONS: '{}', SLACK_BOT_TOKENS: '{}' }, address: null },
  { channel: 'discord', main: discord, env: { DISCORD_DESTINATIONS: '{}' }, address: null },
  { channel: 'teams', main: teams, env: { TEAMS_DESTINATIONS: '{}' }, address: null },
  { channel: 'webhook', main: webhook, env: { WEBHOOK_ENDPOINTS: '{}' }, address: null },
  { channel: 'pagerduty', main: pagerduty, env: { PAGERDUTY_ROUTING_KEYS: '{}' }, address: null },
];

describe('sandbox provider of every channel worker', () => {
  let db: Db;
  const tenant = `sandbox-${Date.now()}`;

  beforeAll(() => {
    db = createDb(stackEnv(process.env).databaseUrl, 2);
  });
  afterAll(async () => {
    await db?.deleteFrom('channel_outbox').where('tenant', '=', tenant).execute();
    await db?.destroy();
  });

  it.each(workers)(
    '$channel: without credentials, records the message in channel_outbox and reports it delivered',
    async ({ channel, main, env, address }) => {
      const rig = await startChannelWorker(channel, main, env);
      try {
        const d = sampleDispatch(channel, { tenant, address });
        await rig.dispatch(d);
        const statuses: DeliveryStatus[] = await rig.terminal(d.notification_id, 30_000);
        expect(statuses.map((s) => [s.status, s.provider, s.stage])).toEqual([['delivered', 'sandbox', `channel-${channel}`]]);
        const row = await db
          .selectFrom('channel_outbox')
          .select(['channel', 'tenant', 'recipient', 'address', 'subject', 'body'])
          .where('notification_id', '=', d.notification_id)
          .executeTakeFirst();
        // The address is stored sealed, bound to the notification.
        if (address !== null) expect(row?.address).toMatch(/^sealed\.v1\./);
        const opened = row && {
          ...row,
          address: testContactCipher().openNullable('channel_outbox.address', d.notification_id, row.address),
        };
        expect(opened).toEqual({
          channel,
          tenant,
          recipient: d.recipient,
          address,
          subject: expect.stringMatching(/\S/),
          body: expect.stringMatching(/ACC-7/),
        });

        const ops = `http://127.0.0.1:${rig.opsPort}`;
        expect((await fetch(`${ops}/health`)).status).toBe(200);
        expect((await fetch(`${ops}/health/ready`)).status).toBe(200);
        const metrics = await waitFor(
          'lag of the dispatch topic',
          async () => {
            const text = await (await fetch(`${ops}/metrics`)).text();
            return samples(text, 'kafka_consumer_lag').some((m) => m.labels.topic === `notifications.dispatch.${channel}`)
              ? text
              : undefined;
          },
          15_000,
        );
        const counted = (name: string) => samples(metrics, name).find((m) => m.labels.channel === channel)?.value;
        expect([
          counted('notifications_emitted_total'),
          counted('notifications_delivered_total'),
          counted('delivery_latency_seconds_count'),
        ]).toEqual([1, 1, 1]);
        expect(counted('notifications_failed_total') ?? 0).toBe(0);
      } finally {
        await rig.stop();
      }
    },
  );
});
