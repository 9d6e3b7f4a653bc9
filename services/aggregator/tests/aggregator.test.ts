/**
 * The aggregator in-process against real Kafka: every decision it makes, read back from its output
 * topics with read-committed consumers. Windows and escalation delays are scaled down by config
 * (5 minutes become 3 seconds); nothing sleeps for real minutes.
 */
import { notificationId, type Ack, type Intent, type Preferences } from '@notify/schemas';
import { waitFor } from '../../../tests/support/wait';
import { main, type RunningAggregator } from '../src/main';
import { intent, recipientRecord } from './records';
import { readTopic } from '../../../tests/support/topic-reader';
import { countBy, openTestBed, stack, type TestBed } from './support';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const SCALE = '0.01';
let bed: TestBed;
let aggregator: RunningAggregator | undefined;

const send = (i: Intent) => bed.produce('notifications.intents', i.recipient, i);
const statusesOf = (eventId: string) => bed.statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
const verdictsOf = (eventId: string) =>
  statusesOf(eventId)
    .map((s) => `${s.channel}:${s.status}${s.reason ? `/${s.reason}` : ''}`)
    .sort();

async function settle(eventId: string, count: number): Promise<string[]> {
  return waitFor(`${count} statuses of ${eventId}`, () => (statusesOf(eventId).length >= count ? verdictsOf(eventId) : undefined), 30_000);
}

beforeAll(async () => {
  bed = await openTestBed();
  // Published before the aggregator starts: the tables must be restored from the compacted topics.
  await bed.produce('notifications.preferences', 'acme/pref', {
    tenant: 'acme',
    user_id: 'pref',
    channels: { email: false },
    types: {},
    severity_filter: 'all',
    frequency_limits: {},
    quiet_hours: null,
    updated_at: 1,
  } satisfies Preferences);
  await bed.produce('notifications.recipients', 'acme/pref', recipientRecord('pref'));
  aggregator = await main({
    ...bed.env,
    LOG_LEVEL: 'warn',
    BATCH_WINDOW_SCALE: SCALE,
    ESCALATION_DELAY_SCALE: SCALE,
    RATE_LIMIT_PER_MINUTE: '3',
    TICK_INTERVAL_MS: '200',
  });
});

afterAll(async () => {
  await aggregator?.stop();
  await bed?.close();
});

it('sends immediate intents straight through with the address joined from notifications.recipients', async () => {
  await send(intent('pref', 'imm-1', { channels: ['inapp', 'email'] }));
  await send(intent('other', 'imm-2', { channels: ['email'] }));
  expect(await settle('imm-1', 2)).toEqual(['email:suppressed/preference', 'inapp:queued']);
  expect(await settle('imm-2', 1)).toEqual(['email:suppressed/no_address']);
  const inapp = await waitFor('the in-app dispatch', () => bed.dispatches('inapp').records.find((r) => r.value.event_id === 'imm-1'));
  expect(inapp.key).toBe('acme/pref');
});

it('applies a preference change published while running to the next intent', async () => {
  await bed.produce('notifications.recipients', 'acme/live', recipientRecord('live'));
  await send(intent('live', 'live-1', { channels: ['email'] }));
  expect(await settle('live-1', 1)).toEqual(['email:queued']);
  expect(bed.dispatches('email').records.find((r) => r.value.event_id === 'live-1')?.value.address).toBe('live@example.com');
  await bed.produce('notifications.preferences', 'acme/live', {
    tenant: 'acme',
    user_id: 'live',
    channels: { email: false },
    types: {},
    severity_filter: 'all',
    frequency_limits: {},
    quiet_hours: null,
    updated_at: 2,
  });
  await new Promise((r) => setTimeout(r, 1500));
  await send(intent('live', 'live-2', { channels: ['email'] }));
  expect(await settle('live-2', 1)).toEqual(['email:suppressed/preference']);
});

it('de-duplicates by dedupe_key per recipient and ignores a redelivered intent', async () => {
  const first = intent('dd', 'dd-1', { dedupe_key: 'order-9' });
  await send(first);
  await send(first);
  await send(intent('dd', 'dd-2', { dedupe_key: 'order-9' }));
  expect(await settle('dd-2', 1)).toEqual(['inapp:suppressed/duplicate']);
  expect(verdictsOf('dd-1')).toEqual(['inapp:queued']);
});

it('rate limits a recipient per minute', async () => {
  for (let n = 1; n <= 4; n++) await send(intent('rl', `rl-${n}`));
  await settle('rl-4', 1);
  expect([1, 2, 3, 4].map((n) => verdictsOf(`rl-${n}`)[0])).toEqual([
    'inapp:queued',
    'inapp:queued',
    'inapp:queued',
    'inapp:suppressed/rate_limited',
  ]);
});

it('collects batched intents into one digest that goes out when the window closes, with no further event', async () => {
  const batching = { window_ms: 5 * MINUTE, group_by: null, max_items: null };
  const started = Date.now();
  await send(intent('dg', 'dg-1', { type: 'STOP_LOSS_TRIGGERED', batching }));
  await send(intent('dg', 'dg-2', { type: 'STOP_LOSS_TRIGGERED', batching }));
  await send(intent('dg', 'dg-3', { type: 'TRADE_EXECUTED', batching }));
  expect(await settle('dg-3', 1)).toEqual(['inapp:batched']);
  const digest = await waitFor(
    'the digest',
    () => bed.dispatches('inapp').records.find((r) => r.value.digest?.items.some((m) => m.event_id === 'dg-1')),
    30_000,
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  expect(digest.value.digest).toMatchObject({ total: 3, counts: { STOP_LOSS_TRIGGERED: 2, TRADE_EXECUTED: 1 } });
  expect(JSON.parse(digest.value.payload).summary).toBe('2 Stop Loss Triggered, 1 Trade Executed');
  await waitFor('members queued', () => (verdictsOf('dg-1').length === 2 ? true : undefined));
  expect(verdictsOf('dg-1')).toEqual(['inapp:batched', 'inapp:queued']);
});

it('inhibits warnings of the same type and account while a critical fires, and not after it resolves', async () => {
  const loss = (id: string, severity: 'critical' | 'warning', labels: Record<string, string> = {}) =>
    intent('ih', id, { type: 'DAILY_LOSS', severity, payload: '{"account_id":"A1"}', labels });
  await send(loss('ih-c', 'critical'));
  await send(loss('ih-w1', 'warning'));
  expect(await settle('ih-w1', 1)).toEqual(['inapp:suppressed/inhibited']);
  await send(loss('ih-r', 'critical', { status: 'resolved' }));
  await send(loss('ih-w2', 'warning'));
  expect(await settle('ih-w2', 1)).toEqual(['inapp:queued']);
});

it('escalates an unacknowledged critical alert to SMS after the delay, and not an acknowledged one', async () => {
  await bed.produce('notifications.recipients', 'acme/esc', recipientRecord('esc'));
  const steps = [{ delay_ms: 5 * MINUTE, channels: ['sms'], condition: 'not_acknowledged' }];
  await send(intent('esc', 'esc-1', { severity: 'critical', type: 'SECURITY_ALERT', channels: ['email'], escalation: steps }));
  await send(intent('esc', 'esc-2', { severity: 'critical', type: 'SECURITY_ALERT', channels: ['email'], escalation: steps }));
  await settle('esc-2', 1);
  await bed.produce('notifications.acks', 'acme/esc', {
    tenant: 'acme',
    user_id: 'esc',
    notification_id: notificationId('esc-2', 'acme/esc', 'email'),
    event_id: null,
    action: 'acknowledged',
    at: Date.now(),
  } satisfies Ack);
  const sms = await waitFor('the escalation SMS', () => bed.dispatches('sms').records.find((r) => r.value.event_id === 'esc-1'), 30_000);
  expect(sms.value.address).toBe('+15555550100');
  expect(verdictsOf('esc-1')).toEqual(['email:queued', 'sms:escalated']);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(bed.dispatches('sms').records.filter((r) => r.value.event_id === 'esc-2')).toEqual([]);
  expect([...countBy(bed.dispatches('sms').records, (r) => r.value.notification_id).values()].every((n) => n === 1)).toBe(true);
});

it('forgets everything it holds for a person when their recipient record is erased', async () => {
  const changelog = await readTopic<unknown>(stack.brokers, stack.registryUrl, `${bed.namespace}notifications.aggregator-state`);
  try {
    await bed.produce('notifications.recipients', 'acme/gone', recipientRecord('gone'));
    const batching = { window_ms: 5 * MINUTE, group_by: null, max_items: null };
    const steps = [{ delay_ms: 5 * MINUTE, channels: ['sms'], condition: 'not_acknowledged' }];
    await send(intent('gone', 'gone-digest', { batching }));
    await send(intent('gone', 'gone-esc', { severity: 'critical', type: 'SECURITY_ALERT', channels: ['email'], escalation: steps }));
    expect(await settle('gone-esc', 1)).toEqual(['email:queued']);
    expect(await settle('gone-digest', 1)).toEqual(['inapp:batched']);
    await waitFor('state for acme/gone in the changelog', () => changelog.records.find((r) => r.key === 'acme/gone'));

    await bed.tombstone('notifications.recipients', 'acme/gone');
    await waitFor('a changelog tombstone for acme/gone', () => changelog.tombstones.find((t) => t.key === 'acme/gone'), 15_000);
    // Both the window and the escalation were due 3 s after they opened (scaled 5 minutes); wait past that.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(bed.dispatches('inapp').records.filter((r) => r.value.digest?.items.some((m) => m.event_id === 'gone-digest'))).toEqual([]);
    expect(bed.dispatches('sms').records.filter((r) => r.value.event_id === 'gone-esc')).toEqual([]);
    expect(statusesOf('gone-digest').map((st) => st.status)).toEqual(['batched']);
  } finally {
    await changelog.close();
  }
});
