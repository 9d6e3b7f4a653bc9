/**
 * The audience index and fan-out paging against the real Postgres: memberships replaced per recipient,
 * keyset pages in user id order, several audiences merged without duplicates, and the fan-out handler
 * walking an audience page by page to exactly its members.
 */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, sql, type Db } from '@notify/db';
import { createLogger, createMetrics, type HandlerContext, type Output } from '@notify/runner';
import type { DeliveryStatus, FanoutPage, Intent } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { AudienceIndex } from '../src/audience-index';
import { createFanoutHandler } from '../src/fanout-handler';
import { firstPage } from '../src/fanout-page';
import { testEvent } from '../src/rules/test-event';

jest.setTimeout(60_000);

const TENANT = `aud${randomUUID().slice(0, 8)}`;
const ctx: HandlerContext = { log: createLogger('router-test', 'silent'), metrics: createMetrics('router-test') };
const DECISION = {
  rule: 'Scarcity',
  channels: ['inapp', 'email'],
  template: 'deal.scarcity',
  priority: 'high',
  bypass_quiet_hours: false,
  mandatory: false,
  batching: null,
  escalation: [],
  inhibit_labels: [],
};

let db: Db;
let index: AudienceIndex;

beforeAll(async () => {
  db = createDb(stackEnv(process.env).databaseUrl, 2);
  await migrateToLatest(db);
  index = new AudienceIndex(db);
});

afterAll(async () => {
  await sql`DELETE FROM audience_members WHERE tenant = ${TENANT}`.execute(db);
  await db.destroy();
});

const user = (n: number) => `u${String(n).padStart(4, '0')}`;

async function allMembers(audiences: string[], pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await index.members(TENANT, audiences, after, pageSize);
    pages.push(page);
    if (page.length < pageSize) return pages;
    after = page[page.length - 1] as string;
  }
}

/** Runs the fan-out handler from the first page until it writes no next page, as the fan-out worker would. */
async function fanOut(page: FanoutPage, pageSize: number): Promise<Output[][]> {
  const handler = createFanoutHandler({ index, pageSize, now: () => 1_700_000_000_000 });
  const rounds: Output[][] = [];
  let current: FanoutPage | null = page;
  while (current) {
    const outputs = await handler.handle(
      {
        topic: 'notifications.fanout',
        partition: 0,
        offset: String(rounds.length),
        key: page.event.event_id,
        value: current,
        headers: {},
        timestamp: 0,
      },
      ctx,
    );
    rounds.push(outputs);
    current = (outputs.find((o) => o.topic === 'notifications.fanout')?.value as FanoutPage | undefined) ?? null;
    if (rounds.length > 1000) throw new Error('fan-out does not terminate');
  }
  return rounds;
}

describe('audience index', () => {
  beforeAll(async () => {
    // 250 users: even ones in TIER_1, multiples of 3 in TIER_2 (so multiples of 6 are in both).
    await index.replace(
      Array.from({ length: 250 }, (_, i) => ({
        tenant: TENANT,
        userId: user(i),
        audiences: [...(i % 2 === 0 ? ['tier:TIER_1'] : []), ...(i % 3 === 0 ? ['tier:TIER_2'] : [])],
      })),
    );
  });

  it('pages through one audience in user id order, each member once', async () => {
    const pages = await allMembers(['tier:TIER_1'], 40);
    expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 5]);
    const all = pages.flat();
    expect(all).toEqual(Array.from({ length: 125 }, (_, i) => user(i * 2)));
  });

  it('merges several audiences without repeating members of both', async () => {
    const all = (await allMembers(['tier:TIER_1', 'tier:TIER_2'], 30)).flat();
    const expected = Array.from({ length: 250 }, (_, i) => i)
      .filter((i) => i % 2 === 0 || i % 3 === 0)
      .map(user);
    expect(all).toEqual(expected);
  });

  it("replaces a recipient's memberships, and an empty list (a tombstone) removes them all", async () => {
    await index.replace([{ tenant: TENANT, userId: 'mover', audiences: ['tier:A'] }]);
    await index.replace([
      { tenant: TENANT, userId: 'mover', audiences: ['tier:B'] },
      { tenant: TENANT, userId: 'leaver', audiences: ['tier:A', 'tier:B'] },
    ]);
    expect(await index.members(TENANT, ['tier:A'], null, 10)).toEqual(['leaver']);
    expect(await index.members(TENANT, ['tier:B'], null, 10)).toEqual(['leaver', 'mover']);
    // Within one batch the later record of a recipient wins, as compaction would keep it.
    await index.replace([
      { tenant: TENANT, userId: 'leaver', audiences: [] },
      { tenant: TENANT, userId: 'mover', audiences: ['tier:A'] },
      { tenant: TENANT, userId: 'mover', audiences: [] },
    ]);
    expect(await index.members(TENANT, ['tier:A', 'tier:B'], null, 10)).toEqual([]);
  });

  it('keeps tenants apart', async () => {
    expect(await index.members(`${TENANT}-other`, ['tier:TIER_1'], null, 10)).toEqual([]);
  });
});

describe('fan-out handler', () => {
  it('routes every audience member exactly once across pages, skipping users the event reached directly', async () => {
    const event = testEvent({
      event_id: `evt-${randomUUID()}`,
      tenant: TENANT,
      recipients: [user(0), 'outsider'],
      audience: 'tier:TIER_1,tier:TIER_2',
    });
    const rounds = await fanOut(
      firstPage(event, DECISION, ['tier:TIER_1', 'tier:TIER_2'], [user(0), 'outsider'], 2, 1).value as FanoutPage,
      25,
    );
    const intents = rounds
      .flat()
      .filter((o) => o.topic === 'notifications.intents')
      .map((o) => o.value as Intent);
    const expected = Array.from({ length: 250 }, (_, i) => i)
      .filter((i) => i !== 0 && (i % 2 === 0 || i % 3 === 0))
      .map(user);
    expect(intents.map((i) => i.user_id)).toEqual(expected);
    expect(new Set(intents.map((i) => i.intent_id)).size).toBe(expected.length);
    expect(intents[0]).toMatchObject({
      tenant: TENANT,
      recipient: `${TENANT}/${expected[0]}`,
      rule: 'Scarcity',
      channels: ['inapp', 'email'],
      priority: 'high',
      template: 'deal.scarcity',
    });
    const routed = rounds
      .flat()
      .filter((o) => o.topic === 'notifications.delivery-status')
      .map((o) => o.value as DeliveryStatus);
    expect(routed).toHaveLength(expected.length * 2);
    expect(routed.every((s) => s.status === 'routed')).toBe(true);
    // Every page but the last leads to the next one, with the cursor at its last member.
    const pages = rounds.flatMap((r) => r.filter((o) => o.topic === 'notifications.fanout').map((o) => o.value as FanoutPage));
    expect(pages).toHaveLength(rounds.length - 1);
    expect(pages.map((p) => p.page)).toEqual(pages.map((_, i) => i + 1));
    // Each page counts who the event reached before it: the two direct recipients plus earlier pages.
    let reachedBefore = 2;
    rounds.slice(0, -1).forEach((round, i) => {
      reachedBefore += round.filter((o) => o.topic === 'notifications.intents').length;
      expect(pages[i]?.reached).toBe(reachedBefore);
    });
  });

  it('produces the same records when a page is handled again', async () => {
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: [], audience: 'tier:TIER_2' });
    const page = firstPage(event, DECISION, ['tier:TIER_2'], [], 0, 1).value as FanoutPage;
    const handler = createFanoutHandler({ index, pageSize: 20, now: () => 5 });
    const input = { topic: 'notifications.fanout', partition: 0, offset: '0', key: event.event_id, value: page, headers: {}, timestamp: 0 };
    expect(await handler.handle(input, ctx)).toEqual(await handler.handle(input, ctx));
  });

  it('ends an event whose audience has no members with one no_recipients status', async () => {
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: [], audience: 'tier:NOBODY' });
    const rounds = await fanOut(firstPage(event, DECISION, ['tier:NOBODY'], [], 0, 1).value as FanoutPage, 10);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toEqual([
      expect.objectContaining({
        topic: 'notifications.delivery-status',
        key: event.event_id,
        value: expect.objectContaining({ status: 'suppressed', reason: 'no_recipients', terminal: true, channel: null, recipient: null }),
      }),
    ]);
  });

  it('says nothing more when an empty audience follows direct recipients', async () => {
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: ['direct'], audience: 'tier:NOBODY' });
    const rounds = await fanOut(firstPage(event, DECISION, ['tier:NOBODY'], ['direct'], 1, 1).value as FanoutPage, 10);
    expect(rounds).toEqual([[]]);
  });

  it('says nothing more when an empty audience follows only the team intent', async () => {
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: [], audience: 'tier:NOBODY' });
    const rounds = await fanOut(firstPage(event, { ...DECISION, channels: ['slack'] }, ['tier:NOBODY'], [], 1, 1).value as FanoutPage, 10);
    expect(rounds).toEqual([[]]);
  });

  it("marks members' team channels on their intents, reports no routed for them and makes no team intent per page", async () => {
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: [], audience: 'tier:TIER_2' });
    const rounds = await fanOut(
      firstPage(event, { ...DECISION, channels: ['inapp', 'slack', 'pagerduty'] }, ['tier:TIER_2'], [], 1, 1).value as FanoutPage,
      25,
    );
    const intents = rounds
      .flat()
      .filter((o) => o.topic === 'notifications.intents')
      .map((o) => o.value as Intent);
    expect(intents.length).toBe(84);
    expect(intents.every((i) => !i.user_id.startsWith('#') && i.team_channels.join() === 'slack,pagerduty')).toBe(true);
    const routed = rounds
      .flat()
      .filter((o) => o.topic === 'notifications.delivery-status')
      .map((o) => o.value as DeliveryStatus);
    expect(routed.map((s) => s.channel)).toEqual(intents.map(() => 'inapp'));
  });

  it("never routes a member whose user id is a team's", async () => {
    await index.replace([
      { tenant: TENANT, userId: '#ops', audiences: ['tier:HASH'] },
      { tenant: TENANT, userId: 'plain', audiences: ['tier:HASH'] },
    ]);
    const event = testEvent({ event_id: `evt-${randomUUID()}`, tenant: TENANT, recipients: [], audience: 'tier:HASH' });
    const rounds = await fanOut(firstPage(event, DECISION, ['tier:HASH'], [], 0, 1).value as FanoutPage, 10);
    expect(
      rounds
        .flat()
        .filter((o) => o.topic === 'notifications.intents')
        .map((o) => (o.value as Intent).user_id),
    ).toEqual(['plain']);
  });
});
