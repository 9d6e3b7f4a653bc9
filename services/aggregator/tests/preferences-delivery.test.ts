/**
 * The recipient's preferences and contact points, proven against the running aggregator and real
 * Kafka: each kind of preference changes what reaches notifications.dispatch.<channel> and what
 * notifications.delivery-status says, and quiet hours in the recipient's own time zone hold a
 * notification until they end. Quiet hours have minute resolution, so the release test waits real
 * minutes (up to about two).
 */
import { intentId, notificationId, type DeliveryStatus, type Intent, type Preferences, type Recipient } from '@notify/schemas';
import { waitFor } from '../../../tests/support/wait';
import { main, type RunningAggregator } from '../src/main';
import { openTestBed, type TestBed } from './support';

jest.setTimeout(300_000);

const MINUTE = 60_000;
const TENANT = 'acme';
let bed: TestBed;
let aggregator: RunningAggregator | undefined;

const recipientKey = (user: string) => `${TENANT}/${user}`;

function preferences(user: string, overrides: Partial<Preferences>): Preferences {
  return {
    tenant: TENANT,
    user_id: user,
    channels: {},
    types: {},
    severity_filter: 'all',
    frequency_limits: {},
    quiet_hours: null,
    updated_at: 1,
    ...overrides,
  };
}

function recipient(user: string, overrides: Partial<Recipient> = {}): Recipient {
  return {
    tenant: TENANT,
    user_id: user,
    email: `${user}@example.com`,
    email_verified: true,
    phone: '+15555550123',
    phone_verified: true,
    timezone: 'UTC',
    locale: 'en',
    audiences: [],
    push_subscriptions: [],
    chat: {},
    opted_out: [],
    devices: [],
    updated_at: 1,
    ...overrides,
  };
}

function intent(user: string, eventId: string, overrides: Partial<Intent> = {}): Intent {
  const key = recipientKey(user);
  const channels = overrides.channels ?? ['email'];
  const ids: Record<string, string> = {};
  for (const c of channels) ids[c] = notificationId(eventId, key, c);
  return {
    intent_id: intentId(eventId, key),
    event_id: eventId,
    tenant: TENANT,
    recipient: key,
    user_id: user,
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    channels,
    notification_ids: ids,
    template: 'order.filled',
    priority: 'normal',
    rule: null,
    bypass_quiet_hours: false,
    mandatory: false,
    batching: null,
    escalation: [],
    payload: '{"symbol":"AAPL"}',
    dedupe_key: null,
    labels: {},
    inhibit_labels: [],
    occurred_at: Date.now(),
    routed_at: Date.now(),
    team_channels: [],
    ...overrides,
  };
}

const send = (i: Intent) => bed.produce('notifications.intents', i.recipient, i);
const statusesOf = (eventId: string): DeliveryStatus[] => bed.statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
const verdict = (s: DeliveryStatus) => `${s.channel}:${s.status}${s.reason ? `/${s.reason}` : ''}`;
const verdictsOf = (eventId: string) => statusesOf(eventId).map(verdict).sort();
const dispatchesOf = (channel: string, eventId: string) => bed.dispatches(channel).records.filter((r) => r.value.event_id === eventId);

async function settle(eventId: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  return waitFor(
    `${count} statuses of ${eventId}`,
    () => (statusesOf(eventId).length >= count ? verdictsOf(eventId) : undefined),
    timeoutMs,
  );
}

/** `HH:MM` of `instant` on the wall clock of `zone`. */
function clockIn(zone: string, instant: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(instant),
  );
  const part = (type: 'hour' | 'minute') => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')}`;
}

/**
 * Quiet hours around now in `zone`: from the start of the previous minute to the end of the next one.
 * Every current zone's offset is a whole number of minutes, so local minute boundaries are UTC minute
 * boundaries and `endsAt` is the instant the period ends. Whenever in the current minute this runs,
 * the aggregator has at least one minute to see the intent inside the period.
 */
function quietAroundNow(zone: string): { start: string; end: string; endsAt: number } {
  const minuteStart = Math.floor(Date.now() / MINUTE) * MINUTE;
  const endsAt = minuteStart + 2 * MINUTE;
  return { start: clockIn(zone, minuteStart - MINUTE), end: clockIn(zone, endsAt), endsAt };
}

// Computed just before the aggregator starts, so the tables it restores already hold these quiet hours.
let quiet: { start: string; end: string; endsAt: number };

beforeAll(async () => {
  bed = await openTestBed();
  quiet = quietAroundNow('Asia/Kolkata');
  const quietHours = { start: quiet.start, end: quiet.end, timezone: null };
  const prefs: Preferences[] = [
    preferences('email-off', { channels: { email: false } }),
    preferences('order-sms-off', { types: { ORDER_FILLED: { sms: false } } }),
    preferences('critical-only', { severity_filter: 'critical_only' }),
    preferences('one-per-hour', { frequency_limits: { ORDER_FILLED: 1 } }),
    // Same HH:MM in both zones: inside quiet hours in Kolkata, ten and a half hours away in New York.
    preferences('kolkata', { quiet_hours: quietHours }),
    preferences('new-york', { quiet_hours: quietHours }),
  ];
  const recipients: Recipient[] = [
    recipient('control'),
    recipient('email-off'),
    recipient('order-sms-off'),
    recipient('critical-only'),
    recipient('one-per-hour'),
    recipient('unverified', { phone_verified: false }),
    recipient('kolkata', { timezone: 'Asia/Kolkata' }),
    recipient('new-york', { timezone: 'America/New_York' }),
  ];
  await bed.produceMany(
    'notifications.preferences',
    prefs.map((p) => ({ key: recipientKey(p.user_id), value: p })),
  );
  await bed.produceMany(
    'notifications.recipients',
    recipients.map((r) => ({ key: recipientKey(r.user_id), value: r })),
  );
  aggregator = await main({ ...bed.env, LOG_LEVEL: 'warn', TICK_INTERVAL_MS: '200' });
});

afterAll(async () => {
  await aggregator?.stop();
  await bed?.close();
});

// First, so the intents meet the quiet period computed in beforeAll well before it ends.
it("holds a notification over quiet hours in the recipient's own zone, releases it when they end, and lets bypass and other zones through", async () => {
  expect(Date.now()).toBeLessThan(quiet.endsAt - 30_000); // the aggregator started in time for the period to still be running
  await send(intent('kolkata', 'qh-held', { channels: ['email'] }));
  await send(intent('kolkata', 'qh-bypass', { channels: ['email'], bypass_quiet_hours: true }));
  await send(intent('new-york', 'qh-elsewhere', { channels: ['email'] }));

  expect(await settle('qh-held', 1)).toEqual(['email:batched/quiet_hours_deferred']);
  expect(statusesOf('qh-held')[0]).toMatchObject({ terminal: false, recipient: 'acme/kolkata' });
  expect(await settle('qh-bypass', 1)).toEqual(['email:queued']);
  expect(await settle('qh-elsewhere', 1)).toEqual(['email:queued']);
  const bypassed = await waitFor('the bypass dispatch', () => dispatchesOf('email', 'qh-bypass')[0]);
  const elsewhere = await waitFor('the New York dispatch', () => dispatchesOf('email', 'qh-elsewhere')[0]);
  expect(Number(bypassed.value.created_at)).toBeLessThan(quiet.endsAt);
  expect(Number(elsewhere.value.created_at)).toBeLessThan(quiet.endsAt);
  expect(elsewhere.value.address).toBe('new-york@example.com');
  expect(dispatchesOf('email', 'qh-held')).toEqual([]);

  const released = await waitFor(
    'the held dispatch after quiet hours',
    () => dispatchesOf('email', 'qh-held')[0],
    quiet.endsAt - Date.now() + 60_000,
    250,
  );
  expect(Number(released.value.created_at)).toBeGreaterThanOrEqual(quiet.endsAt);
  expect(released.value).toMatchObject({
    recipient: 'acme/kolkata',
    address: 'kolkata@example.com',
    notification_id: notificationId('qh-held', 'acme/kolkata', 'email'),
  });
  expect(await settle('qh-held', 2)).toEqual(['email:batched/quiet_hours_deferred', 'email:queued']);
  const queued = statusesOf('qh-held').find((s) => s.status === 'queued');
  expect(Number(queued?.at)).toBeGreaterThanOrEqual(quiet.endsAt);
  expect(dispatchesOf('email', 'qh-held')).toHaveLength(1);
});

it('lets each preference change what is delivered, against a control recipient with defaults', async () => {
  // The control recipient gets every intent the others get, so each difference below is the preference's doing.
  const cases: Array<{ user: string; intents: Intent[] }> = [];
  for (const user of ['control', 'email-off', 'order-sms-off', 'critical-only', 'one-per-hour', 'unverified']) {
    cases.push({
      user,
      intents: [
        intent(user, `${user}-order-1`, { channels: ['email', 'sms'] }),
        intent(user, `${user}-order-2`, { channels: ['email'] }),
        intent(user, `${user}-margin`, { type: 'MARGIN_CALL', channels: ['sms'] }),
        intent(user, `${user}-warning`, { type: 'PRICE_ALERT', severity: 'warning', severity_label: 'warning', channels: ['email'] }),
        intent(user, `${user}-critical`, { type: 'PRICE_ALERT', severity: 'critical', severity_label: 'critical', channels: ['email'] }),
      ],
    });
  }
  // Sent in order per recipient (one key, one partition), so order-1 is decided before order-2.
  for (const c of cases) for (const i of c.intents) await send(i);

  const expected: Record<string, Record<string, string[]>> = {
    control: {
      'order-1': ['email:queued', 'sms:queued'],
      'order-2': ['email:queued'],
      margin: ['sms:queued'],
      warning: ['email:queued'],
      critical: ['email:queued'],
    },
    'email-off': {
      'order-1': ['email:suppressed/preference', 'sms:queued'],
      'order-2': ['email:suppressed/preference'],
      margin: ['sms:queued'],
      warning: ['email:suppressed/preference'],
      critical: ['email:suppressed/preference'],
    },
    'order-sms-off': {
      'order-1': ['email:queued', 'sms:suppressed/preference'],
      'order-2': ['email:queued'],
      margin: ['sms:queued'],
      warning: ['email:queued'],
      critical: ['email:queued'],
    },
    'critical-only': {
      'order-1': ['email:suppressed/severity_filter', 'sms:suppressed/severity_filter'],
      'order-2': ['email:suppressed/severity_filter'],
      margin: ['sms:suppressed/severity_filter'],
      warning: ['email:suppressed/severity_filter'],
      critical: ['email:queued'],
    },
    'one-per-hour': {
      'order-1': ['email:queued', 'sms:queued'],
      'order-2': ['email:suppressed/frequency_limited'],
      margin: ['sms:queued'],
      warning: ['email:queued'],
      critical: ['email:queued'],
    },
    unverified: {
      'order-1': ['email:queued', 'sms:suppressed/unverified'],
      'order-2': ['email:queued'],
      margin: ['sms:suppressed/unverified'],
      warning: ['email:queued'],
      critical: ['email:queued'],
    },
  };

  const expectedOf = (user: string, eventId: string): string[] => expected[user]?.[eventId.slice(user.length + 1)] ?? [];
  const actual: Record<string, Record<string, string[]>> = {};
  for (const c of cases) {
    const perEvent: Record<string, string[]> = {};
    for (const i of c.intents) perEvent[i.event_id.slice(c.user.length + 1)] = await settle(i.event_id, i.channels.length);
    actual[c.user] = perEvent;
  }
  expect(actual).toEqual(expected);

  // Exactly the queued notifications reach their channel topic, addressed from the recipient record.
  for (const c of cases) {
    for (const i of c.intents) {
      for (const channel of i.channels) {
        if (!expectedOf(c.user, i.event_id).includes(`${channel}:queued`)) continue;
        const d = await waitFor(`the ${channel} dispatch of ${i.event_id}`, () => dispatchesOf(channel, i.event_id)[0]);
        expect(d.key).toBe(recipientKey(c.user));
        expect(d.value.address).toBe(channel === 'email' ? `${c.user}@example.com` : '+15555550123');
      }
    }
  }
  // Suppressed ones never do. Statuses and dispatches commit in one transaction; the pause lets the
  // dispatch readers catch up with anything that should not be there.
  await new Promise((r) => setTimeout(r, 2_000));
  for (const c of cases) {
    for (const i of c.intents) {
      const sent = i.channels
        .filter((channel) => dispatchesOf(channel, i.event_id).length > 0)
        .map((channel) => `${channel}:queued`)
        .sort();
      expect({ event: i.event_id, sent }).toEqual({
        event: i.event_id,
        sent: expectedOf(c.user, i.event_id).filter((v) => v.endsWith(':queued')),
      });
    }
  }
  expect(statusesOf('one-per-hour-order-2')[0]?.detail).toBe('1 ORDER_FILLED notifications in the last hour, limit 1');
});
