/**
 * Exactly-once across failures, with the aggregator as real child processes: killed with -9 while
 * windows and escalations are open, and two instances rebalancing while events flow. Every window
 * must close exactly once, every escalation fire exactly once, and every intent be dispatched once.
 */
import type { Dispatch, Intent } from '@notify/schemas';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { waitFor } from '../../../tests/support/wait';
import { intent as intentFor, recipientRecord } from './records';
import { countBy, openTestBed, type TestBed } from './support';

jest.setTimeout(300_000);

const MINUTE = 60_000;
let bed: TestBed;
const running: ServiceProcess[] = [];

/** These tests count dispatches and never read a payload, so theirs stay empty. */
const intent = (user: string, eventId: string, overrides: Partial<Intent> = {}): Intent =>
  intentFor(user, eventId, { payload: '{}', ...overrides });

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startService('aggregator', env);
  running.push(service);
  return service;
}

async function consumedIntents(service: ServiceProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('records_consumed_total') && l.includes('topic="notifications.intents"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const digestsOf = (records: Array<{ value: Dispatch }>) => records.map((r) => r.value).filter((d) => d.digest !== null);

beforeAll(async () => {
  bed = await openTestBed();
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGKILL')));
  await bed?.close();
});

it('closes every window and fires every escalation exactly once across a kill -9 and restart', async () => {
  const env = {
    ...bed.env,
    GROUP_SUFFIX: 'kill',
    BATCH_WINDOW_SCALE: '0.03',
    ESCALATION_DELAY_SCALE: '0.03',
    TICK_INTERVAL_MS: '200',
    LOG_LEVEL: 'warn',
  };
  const first = await start(env);
  const users = Array.from({ length: 8 }, (_, n) => `k${n}`);
  await bed.produceMany(
    'notifications.recipients',
    users.map((u) => ({ key: `acme/${u}`, value: recipientRecord(u) })),
  );
  const batching = { window_ms: 5 * MINUTE, group_by: null, max_items: null };
  const steps = [{ delay_ms: 5 * MINUTE, channels: ['sms'], condition: 'not_acknowledged' }];
  const intents = users.flatMap((u) => [
    intent(u, `${u}-b1`, { batching }),
    intent(u, `${u}-b2`, { batching, type: 'TRADE_EXECUTED' }),
    intent(u, `${u}-b3`, { batching }),
    intent(u, `${u}-crit`, { severity: 'critical', channels: ['email'], escalation: steps }),
  ]);
  await bed.produceMany(
    'notifications.intents',
    intents.map((i) => ({ key: i.recipient, value: i })),
  );
  // Everything is decided (and so committed) on the first instance; windows (9 s) and escalations are still open.
  await waitFor(
    'all intents decided',
    () => (bed.statuses.records.filter((r) => r.value.event_id.startsWith('k')).length >= intents.length ? true : undefined),
    60_000,
  );
  expect(digestsOf(bed.dispatches('inapp').records)).toEqual([]);
  await first.stop('SIGKILL');

  await start(env);
  await waitFor('a digest per user', () => (digestsOf(bed.dispatches('inapp').records).length >= users.length ? true : undefined), 120_000);
  await waitFor('an escalation per user', () => (bed.dispatches('sms').records.length >= users.length ? true : undefined), 60_000);
  // Long enough for a second close or escalation to show up if one were going to.
  await new Promise((r) => setTimeout(r, 4_000));

  const digests = digestsOf(bed.dispatches('inapp').records);
  expect(digests).toHaveLength(users.length);
  expect([...countBy(digests, (d) => d.recipient).values()].every((n) => n === 1)).toBe(true);
  const members = digests.flatMap((d) => d.digest?.items.map((m) => m.event_id) ?? []).sort();
  expect(members).toEqual(users.flatMap((u) => [`${u}-b1`, `${u}-b2`, `${u}-b3`]).sort());
  const sms = bed
    .dispatches('sms')
    .records.map((r) => r.value.event_id)
    .sort();
  expect(sms).toEqual(users.map((u) => `${u}-crit`).sort());
  // Its group would otherwise dispatch the next test's intents a second time.
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

it('dispatches every intent exactly once while two instances rebalance', async () => {
  const env = {
    ...bed.env,
    GROUP_SUFFIX: 'rebalance',
    BATCH_WINDOW_SCALE: '0.01',
    TICK_INTERVAL_MS: '200',
    LOG_LEVEL: process.env.AGG_DEBUG ? 'info' : 'warn',
    RATE_LIMIT_PER_MINUTE: '1000',
    RATE_LIMIT_PER_HOUR: '10000',
  };
  const first = await start(env);
  const users = Array.from({ length: 12 }, (_, n) => `r${n}`);
  const batching = { window_ms: 5 * MINUTE, group_by: null, max_items: null };
  const produced: Intent[] = [];
  let second: ServiceProcess | undefined;
  for (let wave = 0; wave < 30; wave++) {
    const batch = users.map((u) => intent(u, `${u}-w${wave}`, wave % 5 === 4 ? { batching } : {}));
    produced.push(...batch);
    await bed.produceMany(
      'notifications.intents',
      batch.map((i) => ({ key: i.recipient, value: i })),
    );
    if (wave === 5) second = await start(env);
    if (wave === 18) {
      // Both instances must have processed intents, or there was no rebalance to survive.
      expect(await consumedIntents(first)).toBeGreaterThan(0);
      expect(second && (await consumedIntents(second))).toBeGreaterThan(0);
      await first.stop('SIGTERM');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(second).toBeDefined();
  const immediate = produced.filter((i) => i.batching === null);
  const batched = produced.filter((i) => i.batching !== null);
  const inapp = () => bed.dispatches('inapp').records.map((r) => r.value);
  await waitFor(
    'every immediate intent dispatched',
    () => (inapp().filter((d) => d.digest === null && d.event_id.startsWith('r')).length >= immediate.length ? true : undefined),
    120_000,
  );
  await waitFor(
    'every batched intent in a digest',
    () =>
      digestsOf(bed.dispatches('inapp').records)
        .flatMap((d) => d.digest?.items ?? [])
        .filter((m) => m.event_id.startsWith('r')).length >= batched.length
        ? true
        : undefined,
    60_000,
  );
  await new Promise((r) => setTimeout(r, 4_000));

  const singles = inapp().filter((d) => d.digest === null && d.event_id.startsWith('r'));
  const duplicates = [...countBy(singles, (d) => d.notification_id)].filter(([, n]) => n > 1);
  if (process.env.AGG_DEBUG && duplicates.length > 0) {
    const dupIds = new Set(duplicates.map(([id]) => id));
    console.log(
      JSON.stringify(
        bed
          .dispatches('inapp')
          .records.filter((r) => dupIds.has(r.value.notification_id))
          .map((r) => [r.value.event_id, r.partition, r.offset, r.value.created_at]),
      ),
    );
    for (const s of running)
      console.log(
        s.output
          .join('')
          .split('\n')
          .filter((l) => !l.includes('"level":40'))
          .join('\n')
          .slice(-6000),
      );
  }
  expect(duplicates).toEqual([]);
  expect(singles.map((d) => d.event_id).sort()).toEqual(immediate.map((i) => i.event_id).sort());
  const members = digestsOf(bed.dispatches('inapp').records)
    .flatMap((d) => d.digest?.items.map((m) => m.event_id) ?? [])
    .filter((e) => e.startsWith('r'));
  expect(members.sort()).toEqual(batched.map((i) => i.event_id).sort());
});
