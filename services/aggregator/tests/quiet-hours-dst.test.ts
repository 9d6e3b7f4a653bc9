/**
 * Quiet hours across a DST change, proven against the running aggregator and real Kafka. The wall
 * clock cannot be moved, so each aggregator runs on an injected clock that reads a chosen instant
 * shortly before the period ends on a changeover day and then advances in real time; the held
 * notification must be released at the instant the period really ends, not an hour either side.
 * Both days run side by side (each in its own namespace) so the file waits real time only once.
 */
import {
  intentId,
  notificationId,
  type DeliveryStatus,
  type Dispatch,
  type Intent,
  type Preferences,
  type Recipient,
} from '@notify/schemas';
import { waitFor } from '../../../tests/support/wait';
import { main, type RunningAggregator } from '../src/main';
import { openTestBed, type TestBed } from './support';

jest.setTimeout(300_000);

const TENANT = 'acme';
const ZONE = 'America/New_York';
/** How long before the period ends each injected clock starts: room for the aggregator to start and decide. */
const LEAD_MS = 90_000;

interface Scenario {
  user: string;
  quiet: { start: string; end: string };
  /** The instant the quiet period ends on the changeover day. */
  endsAt: number;
}

interface Observed {
  deferred: DeliveryStatus;
  /** Dispatches seen while the injected clock was still a few seconds short of the end. */
  dispatchesJustBeforeEnd: number;
  released: Dispatch;
  dispatches: number;
  verdicts: string[];
  queuedAt: number;
}

// 2026-03-08: New York springs forward at 02:00 EST (07:00Z) to 03:00 EDT, so 02:30 never happens
// and a period ending then ends at the changeover instant.
const springForward: Scenario = { user: 'dst-spring', quiet: { start: '01:00', end: '02:30' }, endsAt: Date.parse('2026-03-08T07:00:00Z') };
// 2026-11-01: New York falls back at 02:00 EDT (06:00Z) to 01:00 EST, so 01:30 happens twice
// (05:30Z and 06:30Z); the period ends at the first.
const fallBack: Scenario = { user: 'dst-fall', quiet: { start: '00:30', end: '01:30' }, endsAt: Date.parse('2026-11-01T05:30:00Z') };

const key = (user: string) => `${TENANT}/${user}`;

function intentFor(user: string, eventId: string): Intent {
  const recipient = key(user);
  return {
    intent_id: intentId(eventId, recipient),
    event_id: eventId,
    tenant: TENANT,
    recipient,
    user_id: user,
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    channels: ['email'],
    notification_ids: { email: notificationId(eventId, recipient, 'email') },
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
  };
}

interface Running {
  scenario: Scenario;
  bed: TestBed;
  aggregator: RunningAggregator;
  clock: () => number;
}

/** Opens the day's own namespace, fills its tables and starts the aggregator on the day's clock. */
async function setUp(s: Scenario): Promise<Running> {
  const bed = await openTestBed();
  try {
    const preferences: Preferences = {
      tenant: TENANT,
      user_id: s.user,
      channels: {},
      types: {},
      severity_filter: 'all',
      frequency_limits: {},
      updated_at: 1,
      quiet_hours: { start: s.quiet.start, end: s.quiet.end, timezone: null },
    };
    const recipient: Recipient = {
      tenant: TENANT,
      user_id: s.user,
      email: `${s.user}@example.com`,
      email_verified: true,
      phone: '+15555550123',
      phone_verified: true,
      timezone: ZONE,
      locale: 'en',
      audiences: [],
      push_subscriptions: [],
      chat: {},
      opted_out: [],
      devices: [],
      updated_at: 1,
    };
    await bed.produce('notifications.preferences', key(s.user), preferences);
    await bed.produce('notifications.recipients', key(s.user), recipient);
    const offset = s.endsAt - LEAD_MS - Date.now();
    const clock = () => Date.now() + offset;
    const aggregator = await main({ ...bed.env, LOG_LEVEL: 'warn', TICK_INTERVAL_MS: '200' }, { now: clock });
    return { scenario: s, bed, aggregator, clock };
  } catch (error) {
    await bed.close();
    throw error;
  }
}

/** Sends the day's intent, follows it through the end of quiet hours, and stops everything. */
async function observe({ scenario: s, bed, aggregator, clock }: Running): Promise<Observed> {
  try {
    const eventId = `${s.user}-held`;
    await bed.produce('notifications.intents', key(s.user), intentFor(s.user, eventId));
    const statuses = () => bed.statuses.records.map((r) => r.value).filter((v) => v.event_id === eventId);
    const dispatches = () => bed.dispatches('email').records.filter((r) => r.value.event_id === eventId);

    const deferred = await waitFor(`the first status of ${eventId}`, () => statuses()[0]);
    // A few seconds short of the end on the injected clock, nothing may have gone out yet.
    const justBefore = s.endsAt - 5_000;
    if (clock() < justBefore) await new Promise((r) => setTimeout(r, justBefore - clock()));
    const dispatchesJustBeforeEnd = dispatches().length;

    const released = await waitFor(`the release of ${eventId}`, () => dispatches()[0]?.value, s.endsAt - clock() + 60_000, 250);
    const queued = await waitFor(`the queued status of ${eventId}`, () => statuses().find((v) => v.status === 'queued'));
    // Statuses and dispatches commit together; the pause lets the readers see any duplicate.
    await new Promise((r) => setTimeout(r, 2_000));
    return {
      deferred,
      dispatchesJustBeforeEnd,
      released,
      dispatches: dispatches().length,
      queuedAt: Number(queued.at),
      verdicts: statuses()
        .map((v) => `${v.channel}:${v.status}${v.reason ? `/${v.reason}` : ''}`)
        .sort(),
    };
  } finally {
    await aggregator.stop();
    await bed.close();
  }
}

type Settled = { ok: Observed } | { error: unknown };
const settle = (p: Promise<Observed>): Promise<Settled> =>
  p.then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );
async function outcome(p: Promise<Settled> | undefined): Promise<Observed> {
  const settled = await p;
  if (!settled) throw new Error('scenario never started');
  if ('error' in settled) throw settled.error;
  return settled.ok;
}

let spring: Promise<Settled> | undefined;
let fall: Promise<Settled> | undefined;

beforeAll(() => {
  // Awaited by their own tests; settled so that one failing early is not an unhandled rejection.
  // Set-ups one after the other (creating two namespaces' topics at once upsets the broker's
  // metadata); the real-time waits overlap.
  const springRun = setUp(springForward);
  const fallRun = springRun.then(
    () => setUp(fallBack),
    () => setUp(fallBack),
  );
  spring = settle(springRun.then(observe));
  fall = settle(fallRun.then(observe));
});

afterAll(async () => {
  await Promise.all([spring, fall]);
});

function expectReleasedAt(o: Observed, s: Scenario): void {
  expect(o.deferred).toMatchObject({
    status: 'batched',
    reason: 'quiet_hours_deferred',
    terminal: false,
    recipient: key(s.user),
    channel: 'email',
  });
  expect(o.deferred.detail).toBe(`held until ${new Date(s.endsAt).toISOString()}`);
  expect(o.dispatchesJustBeforeEnd).toBe(0);

  expect(o.released).toMatchObject({
    recipient: key(s.user),
    address: `${s.user}@example.com`,
    notification_id: notificationId(`${s.user}-held`, key(s.user), 'email'),
  });
  const createdAt = Number(o.released.created_at);
  expect(createdAt).toBeGreaterThanOrEqual(s.endsAt);
  expect(createdAt).toBeLessThan(s.endsAt + 60_000);
  expect(o.queuedAt).toBeGreaterThanOrEqual(s.endsAt);
  expect(o.queuedAt).toBeLessThan(s.endsAt + 60_000);
  expect(o.verdicts).toEqual(['email:batched/quiet_hours_deferred', 'email:queued']);
  expect(o.dispatches).toBe(1);
}

it('spring forward: quiet hours ending at a skipped 02:30 end at the changeover instant (07:00Z = 03:00 EDT)', async () => {
  expectReleasedAt(await outcome(spring), springForward);
});

it('fall back: quiet hours ending at a repeated 01:30 end at its first occurrence (05:30Z = 01:30 EDT)', async () => {
  expectReleasedAt(await outcome(fall), fallBack);
});
