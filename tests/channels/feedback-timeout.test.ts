/**
 * The feedback timeout against real Postgres and Kafka: a message its provider accepted and never
 * reported on closes once, as `sent` with `terminal` set and reason `no_feedback` (digest members
 * too); sweepers racing each other close every row once; and a status callback arriving after the
 * timeout publishes nothing.
 */
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { createChannelMetrics, MessageLog, startFeedbackSweeper, twilioStatusRoute, type ChannelMetrics } from '@notify/channel';
import { createDb, sql } from '@notify/db';
import { createLogger, createMetrics } from '@notify/runner';
import type { Dispatch } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { makeDispatch } from '../support/dispatches';
import { openFeedbackRig, type FeedbackRig } from '../support/feedback-rig';
import { waitFor } from '../support/wait';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);
// A sweep closes every expired row of its channel in the database; a channel name of this run's own
// keeps the test's sweeps to the test's rows.
const CHANNEL = `sweep${RUN}`;
const HOUR = 3_600_000;

describe('feedback timeout', () => {
  let rig: FeedbackRig;

  beforeAll(async () => {
    rig = await openFeedbackRig();
  });
  afterAll(async () => {
    await rig.db.deleteFrom('channel_messages').where('channel', '=', CHANNEL).execute();
    await rig.close();
  });

  const dispatch = (over: Partial<Dispatch> = {}): Dispatch => ({
    ...makeDispatch('sms', { tenant: 'acme', user_id: `u-${RUN}`, address: '+15550100' }),
    channel: CHANNEL,
    ...over,
  });
  /** Logs the dispatch as the handler does; accepted `acceptedAgoMs` ago, or never when null. */
  const logged = async (d: Dispatch, acceptedAgoMs: number | null): Promise<Dispatch> => {
    const log = new MessageLog(rig.db);
    await log.opened(d, 'twilio');
    if (acceptedAgoMs === null) return d;
    await log.accepted(d.notification_id, `SM${d.notification_id.slice(-8)}`);
    await sql`update channel_messages set accepted_at = now() - make_interval(secs => ${acceptedAgoMs / 1000}::double precision) where notification_id = ${d.notification_id}`.execute(
      rig.db,
    );
    return d;
  };
  const row = (id: string) =>
    rig.db
      .selectFrom('channel_messages')
      .select(['final_status', 'final_reason', 'accepted_at', 'closed_at'])
      .where('notification_id', '=', id)
      .executeTakeFirstOrThrow();
  const publishedFor = (id: string) => rig.published.filter((s) => s.notification_id === id);
  const counted = async (metrics: ChannelMetrics) =>
    (await metrics.unconfirmed.get()).values.find((v) => v.labels.channel === CHANNEL)?.value ?? 0;

  it('closes each expired accepted message once as sent, terminal, no_feedback, with its digest members; fresh and unaccepted ones stay open', async () => {
    const members = ['a', 'b'].map((n) => ({
      notification_id: `ntf_member_${n}_${RUN}`,
      event_id: `evt-${n}-${RUN}`,
      type: 'PRICE_ALERT',
      severity: 'info',
      payload: '{}',
      occurred_at: Date.now() - 60_000,
    }));
    const single = await logged(dispatch(), 2 * HOUR);
    const digest = await logged(dispatch({ type: 'DIGEST', digest: { total: 2, counts: { PRICE_ALERT: 2 }, items: members } }), 2 * HOUR);
    const fresh = await logged(dispatch(), 0);
    const unaccepted = await logged(dispatch(), null);
    // Opened long ago but never accepted: the clock starts at acceptance, not at logging.
    await sql`update channel_messages set created_at = now() - interval '3 hours' where notification_id = ${unaccepted.notification_id}`.execute(
      rig.db,
    );
    const metrics = createChannelMetrics(createMetrics('feedback-timeout-test').registry);
    const closer = rig.closer({ metrics });

    expect(await closer.expire(CHANNEL, HOUR, 100)).toBe(2);
    const closedIds = [single.notification_id, digest.notification_id, ...members.map((m) => m.notification_id)];
    for (const id of closedIds) {
      expect(publishedFor(id)).toEqual([
        expect.objectContaining({
          status: 'sent',
          reason: 'no_feedback',
          terminal: true,
          channel: CHANNEL,
          provider: 'twilio',
          stage: `channel-${CHANNEL}`,
        }),
      ]);
    }
    expect(publishedFor(members[0]!.notification_id)[0]).toMatchObject({
      event_id: members[0]!.event_id,
      detail: `digest ${digest.notification_id}: no delivery report within 1 h of acceptance`,
    });
    expect(await row(single.notification_id)).toMatchObject({ final_status: 'sent', final_reason: 'no_feedback' });
    expect(await row(fresh.notification_id)).toMatchObject({ final_status: null });
    expect(await row(unaccepted.notification_id)).toMatchObject({ final_status: null, accepted_at: null });
    expect(publishedFor(fresh.notification_id)).toEqual([]);
    expect(publishedFor(unaccepted.notification_id)).toEqual([]);
    expect(await counted(metrics)).toBe(2);

    const before = rig.published.length;
    expect(await closer.expire(CHANNEL, HOUR, 100)).toBe(0);
    expect(rig.published.length).toBe(before);
    expect(await counted(metrics)).toBe(2);

    // What was published reached the topic, as an analyst reads it.
    await waitFor('the no_feedback statuses on the topic', () => {
      const seen = new Set(
        rig.statuses.records
          .map((r) => r.value)
          .filter((s) => s.terminal && s.reason === 'no_feedback')
          .map((s) => s.notification_id),
      );
      return closedIds.every((id) => seen.has(id)) ? true : undefined;
    });
  });

  it('closes every row once when two sweepers on separate connections race', async () => {
    const expired = await Promise.all(Array.from({ length: 60 }, () => logged(dispatch(), 2 * HOUR)));
    const other = createDb(stackEnv(process.env).databaseUrl, 4);
    try {
      const [metricsA, metricsB] = [
        createChannelMetrics(createMetrics('sweeper-a').registry),
        createChannelMetrics(createMetrics('sweeper-b').registry),
      ];
      const sweepers = [rig.closer({ metrics: metricsA }), rig.closer({ metrics: metricsB, db: other })];
      const sweepAll = async (closer: (typeof sweepers)[number]) => {
        let total = 0;
        for (;;) {
          const closed = await closer.expire(CHANNEL, HOUR, 7);
          if (closed === 0) return total;
          total += closed;
        }
      };
      const totals = await Promise.all(sweepers.map(sweepAll));
      expect(totals[0]! + totals[1]!).toBe(60);
      expect((await counted(metricsA)) + (await counted(metricsB))).toBe(60);
      for (const d of expired) expect(publishedFor(d.notification_id).filter((s) => s.terminal)).toHaveLength(1);
    } finally {
      await other.destroy();
    }
  });

  it('publishes nothing for a status callback that arrives after the timeout closed the message', async () => {
    const d = await logged(dispatch(), 2 * HOUR);
    const metrics = createChannelMetrics(createMetrics('late-callback-test').registry);
    const closer = rig.closer({ metrics });
    expect(await closer.expire(CHANNEL, HOUR, 100)).toBe(1);

    const authToken = 'test-auth-token';
    const publicUrl = 'http://127.0.0.1:4010';
    const route = twilioStatusRoute({ authToken, publicUrl, closer });
    const path = `/twilio/status?n=${encodeURIComponent(d.notification_id)}`;
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const signature = twilio.getExpectedTwilioSignature(authToken, `${publicUrl}${path}`, params);
    const answer = await route({
      method: 'POST',
      url: path,
      headers: { 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });

    expect(answer.status).toBe(204);
    expect(publishedFor(d.notification_id).map((s) => [s.status, s.reason, s.terminal])).toEqual([['sent', 'no_feedback', true]]);
    expect(await row(d.notification_id)).toMatchObject({ final_status: 'sent', final_reason: 'no_feedback' });
    expect((await metrics.delivered.get()).values).toEqual([]);
  });

  it('the sweeper closes a message once its timeout has passed since acceptance, not before', async () => {
    const timeoutMs = 1500;
    const sweeper = startFeedbackSweeper({
      closer: rig.closer(),
      channel: CHANNEL,
      timeoutMs,
      intervalMs: 100,
      log: createLogger('sweeper-test', 'silent'),
    });
    try {
      const d = await logged(dispatch(), 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(publishedFor(d.notification_id)).toEqual([]);
      const closed = await waitFor(
        'the sweeper to close the message',
        () => publishedFor(d.notification_id).find((s) => s.terminal),
        10_000,
      );
      expect(closed).toMatchObject({ status: 'sent', reason: 'no_feedback' });
      const { accepted_at, closed_at } = await row(d.notification_id);
      expect(closed_at!.getTime() - accepted_at!.getTime()).toBeGreaterThanOrEqual(timeoutMs);
    } finally {
      await sweeper.stop();
    }
  });
});
