/**
 * Audience fan-out through a real router process, real Kafka and real Postgres: recipients arrive on
 * notifications.recipients (Avro, with tombstones), the router indexes them, and an event for the
 * audience yields exactly one intent per member, streamed in pages; an ordinary event produced while a
 * fan-out runs is routed long before the fan-out ends.
 */
import { randomUUID } from 'node:crypto';
import { createDb, sql, type Db } from '@notify/db';
import { recipientKey, type Intent } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { waitFor } from '../../../tests/support/wait';
import type { TopicReader } from '../../../tests/support/topic-reader';
import { acceptedEvent, recipient, startRouter, type RouterHarness } from './router-harness';

jest.setTimeout(300_000);

const TENANT = `fan${randomUUID().slice(0, 8)}`;
const MEMBERS = 10_000;
const AUDIENCE = 'tier:TIER_1_SFO';
/** Small pages make the 10,000-member fan-out take 100 pages, long enough to overtake. */
const PAGE_SIZE = 100;

const RULES = `
tenant: ${TENANT}
rules:
  - name: "Scarcity"
    event_type: "DEAL_SCARCITY"
    actions:
      - { channels: [inapp], template: "deal.scarcity", priority: high }
`;

const member = (n: number) => `m${String(n).padStart(5, '0')}`;

let harness: RouterHarness;
let db: Db;
let intents: TopicReader<Intent>;

const intentsOf = (eventId: string) => intents.records.filter((r) => r.value.event_id === eventId).map((r) => r.value);

beforeAll(async () => {
  db = createDb(stackEnv(process.env).databaseUrl, 2);
  harness = await startRouter({ rulesYaml: RULES, env: { FANOUT_PAGE_SIZE: String(PAGE_SIZE) } });
  intents = await harness.read<Intent>('notifications.intents');
  // 10,000 members, 50 more who leave again (tombstones), and 30 in another audience only.
  const records = [
    ...Array.from({ length: MEMBERS + 50 }, (_, i) => ({
      key: recipientKey(TENANT, member(i)),
      value: recipient(TENANT, member(i), [AUDIENCE, 'tier:ALL']),
    })),
    ...Array.from({ length: 30 }, (_, i) => ({
      key: recipientKey(TENANT, `other${i}`),
      value: recipient(TENANT, `other${i}`, ['tier:TIER_2']),
    })),
    ...Array.from({ length: 50 }, (_, i) => ({ key: recipientKey(TENANT, member(MEMBERS + i)), value: null })),
  ];
  for (let i = 0; i < records.length; i += 1000) await harness.produce('notifications.recipients', records.slice(i, i + 1000));
  await waitFor(
    'the audience index to hold exactly the 10,000 members',
    async () => {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM audience_members WHERE tenant = ${TENANT} AND audience = ${AUDIENCE}`.execute(db);
      return Number(rows[0]?.n) === MEMBERS ? true : undefined;
    },
    120_000,
    500,
  );
});

afterAll(async () => {
  await harness?.stop();
  await sql`DELETE FROM audience_members WHERE tenant = ${TENANT}`.execute(db);
  await db.destroy();
});

describe('audience fan-out', () => {
  it('delivers exactly one intent to each of 10,000 audience members', async () => {
    const event = acceptedEvent({ tenant: TENANT, audience: AUDIENCE });
    await harness.produce('notifications.accepted', [{ key: event.event_id, value: event }]);
    await waitFor('10,000 intents', () => (intentsOf(event.event_id).length >= MEMBERS ? true : undefined), 180_000, 250);
    // Give stragglers (a duplicated page would be one) time to show up before counting exactly.
    await new Promise((r) => setTimeout(r, 3000));
    const found = intentsOf(event.event_id);
    expect(found).toHaveLength(MEMBERS);
    expect(new Set(found.map((i) => i.intent_id)).size).toBe(MEMBERS);
    expect(new Set(found.map((i) => i.user_id))).toEqual(new Set(Array.from({ length: MEMBERS }, (_, i) => member(i))));
    expect(found.every((i) => i.rule === 'Scarcity' && i.recipient === `${TENANT}/${i.user_id}` && i.channels.join() === 'inapp')).toBe(
      true,
    );
  });

  it('routes the union of several audiences and the direct recipients, each person once', async () => {
    const event = acceptedEvent({ tenant: TENANT, audience: 'tier:TIER_2, tier:ALL', recipients: [member(7), 'direct-only'] });
    await harness.produce('notifications.accepted', [{ key: event.event_id, value: event }]);
    const expected = MEMBERS + 30 + 1;
    await waitFor(`${expected} intents`, () => (intentsOf(event.event_id).length >= expected ? true : undefined), 180_000, 250);
    await new Promise((r) => setTimeout(r, 2000));
    const users = intentsOf(event.event_id).map((i) => i.user_id);
    expect(users).toHaveLength(expected);
    expect(new Set(users).size).toBe(expected);
    expect(users).toEqual(expect.arrayContaining(['direct-only', member(7), 'other0', 'other29', member(MEMBERS - 1)]));
  });

  it('routes an ordinary event produced during a large fan-out without waiting for it to finish', async () => {
    const big = acceptedEvent({ tenant: TENANT, audience: AUDIENCE });
    await harness.produce('notifications.accepted', [{ key: big.event_id, value: big }]);
    await waitFor('the fan-out to start', () => (intentsOf(big.event_id).length > 0 ? true : undefined), 60_000, 20);
    const ordinary = acceptedEvent({ tenant: TENANT, recipients: ['solo'] });
    const producedAt = Date.now();
    await harness.produce('notifications.accepted', [{ key: ordinary.event_id, value: ordinary }]);
    const fanoutProgress = await waitFor(
      'the ordinary event to be routed',
      () => (intentsOf(ordinary.event_id).length > 0 ? intentsOf(big.event_id).length : undefined),
      60_000,
      20,
    );
    const latencyMs = Date.now() - producedAt;
    process.stdout.write(`ordinary event routed in ${latencyMs} ms, when the fan-out had routed ${fanoutProgress} of ${MEMBERS}\n`);
    expect(fanoutProgress).toBeLessThan(MEMBERS);
    await waitFor('the fan-out to finish', () => (intentsOf(big.event_id).length >= MEMBERS ? true : undefined), 180_000, 250);
  });

  it('ends an event for an audience nobody belongs to with a no_recipients status', async () => {
    const statuses = await harness.read<{ event_id: string; status: string; reason: string | null; terminal: boolean }>(
      'notifications.delivery-status',
    );
    const event = acceptedEvent({ tenant: TENANT, audience: 'tier:NOBODY' });
    await harness.produce('notifications.accepted', [{ key: event.event_id, value: event }]);
    const status = await waitFor(
      'the event-level status',
      () => statuses.records.find((r) => r.value.event_id === event.event_id)?.value,
      60_000,
      100,
    );
    expect(status).toMatchObject({ status: 'suppressed', reason: 'no_recipients', terminal: true });
  });
});
