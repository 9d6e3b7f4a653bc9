/**
 * The co-partitioned assigner against the real broker: consumers of one group built through our
 * port with `copartitioned: true` must each own the same partition numbers of every subscribed
 * topic, together own every partition once, and keep that after a member leaves and the group
 * rebalances. Each consumer's own view (onAssignment) is checked against the broker's view of the
 * group (describeGroups), so a stale assignment from an earlier generation cannot pass for the
 * current one.
 *
 * The member count is chosen so that neither it nor one fewer divides the partition count (5 then 4
 * for 6 partitions): kafkajs's RoundRobinAssigner deals (topic, partition) pairs in order and so
 * co-partitions by accident whenever the member count divides the partition count, which would let
 * 3 or 2 members pass with the default assigner too.
 */
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createKafka, type ConsumerPort, type KafkaLogger } from '../../services/lib/kafka/src';
import { COPARTITIONED_ASSIGNER_NAME } from '../../services/lib/kafka/src/copartition-assigner';
import { stackEnv } from '../../scripts/src/stack-env';
import { waitFor } from '../support/wait';

jest.setTimeout(60_000);

const RUN = randomUUID();
const GROUP_ID = `test-copart-${RUN}`;
const TOPICS = ['notifications.intents', 'notifications.preferences'];
const { brokers } = stackEnv(process.env);

type Assignment = Record<string, number[]>;

interface Member {
  /** Unique per member so the broker's member list can be matched back to our consumers. */
  clientId: string;
  consumer: ConsumerPort;
  /** Latest assignment this consumer reported joining with; undefined until it first joined. */
  assignment: Assignment | undefined;
  connected: boolean;
}

/** kafkajs logs errors on its own (e.g. while a group rebalances); kept for diagnosis, not printed. */
const kafkaErrors: string[] = [];
const logger: KafkaLogger = {
  error: (obj, msg) => void kafkaErrors.push(`${msg} ${JSON.stringify(obj)}`),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

let admin: Admin;
let partitionCount = 0;
const members: Member[] = [];

/** Smallest member count >= 3 for which round-robin would split partition numbers before and after one leaves. */
function discriminatingMemberCount(partitions: number): number {
  let count = 3;
  while (partitions % count === 0 || partitions % (count - 1) === 0) count++;
  return count;
}

function startMember(index: number): Member {
  const clientId = `copart-${RUN.slice(0, 8)}-${index}`;
  const consumer = createKafka({ clientId, brokers, logger }).consumer({
    groupId: GROUP_ID,
    copartitioned: true,
    // Shorter than the default so a member that fails to leave cleanly cannot stall the rebalance for long.
    sessionTimeoutMs: 10_000,
    // Only membership matters here; reading these topics from the start would be wasted work.
    fromBeginning: false,
  });
  const member: Member = { clientId, consumer, assignment: undefined, connected: true };
  consumer.onAssignment((assignment) => {
    member.assignment = assignment;
  });
  return member;
}

/** The partition numbers a member owns, provided every subscribed topic got the same ones. */
function partitionNumbers(assignment: Assignment): number[] {
  const perTopic = TOPICS.map((t) => [...(assignment[t] ?? [])].sort((a, b) => a - b));
  for (const numbers of perTopic) expect(numbers).toEqual(perTopic[0]);
  return perTopic[0] ?? [];
}

/**
 * Resolves once the broker reports the group Stable with exactly the connected members, on our
 * assigner, and each connected consumer's last onAssignment equals what the broker holds for it.
 * Throws (so waitFor retries and reports the reason on timeout) while that is not yet so.
 */
async function settledAssignments(): Promise<Map<string, Assignment>> {
  const expected = members.filter((m) => m.connected);
  const { groups } = await admin.describeGroups([GROUP_ID]);
  const group = groups[0];
  if (!group || group.state !== 'Stable') throw new Error(`group state ${group?.state ?? 'missing'}`);
  if (group.protocol !== COPARTITIONED_ASSIGNER_NAME) throw new Error(`group protocol ${group.protocol}`);
  const brokerView = new Map(
    group.members.map((m) => [m.clientId, AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}]),
  );
  const ids = [...brokerView.keys()].sort().join(',');
  if (
    ids !==
    expected
      .map((m) => m.clientId)
      .sort()
      .join(',')
  )
    throw new Error(`group members ${ids}`);
  const result = new Map<string, Assignment>();
  for (const m of expected) {
    const fromBroker = brokerView.get(m.clientId) ?? {};
    if (JSON.stringify(normalise(m.assignment)) !== JSON.stringify(normalise(fromBroker))) {
      throw new Error(`${m.clientId} saw ${JSON.stringify(m.assignment)}, broker holds ${JSON.stringify(fromBroker)}`);
    }
    result.set(m.clientId, fromBroker);
  }
  return result;
}

/** Comparable form: topics sorted, partitions sorted, topics without partitions dropped. */
function normalise(assignment: Assignment | undefined): Array<[string, number[]]> {
  return Object.entries(assignment ?? {})
    .filter(([, partitions]) => partitions.length > 0)
    .map(([topic, partitions]): [string, number[]] => [topic, [...partitions].sort((a, b) => a - b)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every member has the same numbers on each topic; together they own each partition once, evenly. */
function expectCoPartitioned(assignments: Map<string, Assignment>): Map<string, number[]> {
  const numbers = new Map([...assignments].map(([clientId, a]) => [clientId, partitionNumbers(a)]));
  for (const topic of TOPICS) {
    const owned = [...assignments.values()].flatMap((a) => a[topic] ?? []).sort((x, y) => x - y);
    expect(owned).toEqual(Array.from({ length: partitionCount }, (_, p) => p));
  }
  const sizes = [...numbers.values()].map((n) => n.length);
  expect(Math.max(...sizes)).toBe(Math.ceil(partitionCount / assignments.size));
  expect(Math.min(...sizes)).toBe(Math.floor(partitionCount / assignments.size));
  return numbers;
}

beforeAll(async () => {
  admin = new Kafka({ clientId: `copart-admin-${RUN.slice(0, 8)}`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const { topics } = await admin.fetchTopicMetadata({ topics: TOPICS });
  const counts = topics.map((t) => t.partitions.length);
  // The test is only meaningful if the topics co-partition and there is more than one partition to spread.
  expect(new Set(counts).size).toBe(1);
  partitionCount = counts[0] ?? 0;
  expect(partitionCount).toBeGreaterThan(1);

  const memberCount = discriminatingMemberCount(partitionCount);
  for (let i = 0; i < memberCount; i++) members.push(startMember(i));
  // Started together so they most likely land in one generation; the wait below copes if not.
  await Promise.all(
    members.map(async ({ consumer }) => {
      await consumer.connect();
      await consumer.subscribe(TOPICS);
      await consumer.run(async () => undefined);
    }),
  );
});

afterAll(async () => {
  await Promise.allSettled(members.filter((m) => m.connected).map((m) => m.consumer.disconnect()));
  // The group has no committed offsets; drop it so test groups do not pile up on the local broker.
  await admin?.deleteGroups([GROUP_ID]).catch(() => undefined);
  await admin?.disconnect();
});

it('gives every member the same partition numbers of both topics and all partitions exactly once', async () => {
  const assignments = await waitFor('all members to settle on one co-partitioned assignment', settledAssignments, 25_000, 250).catch(
    (error: unknown) => {
      throw new Error(`${String(error)}\nkafkajs errors:\n${kafkaErrors.slice(-5).join('\n')}`);
    },
  );
  expect(assignments.size).toBe(members.length);
  expectCoPartitioned(assignments);
});

it('still co-partitions after a member leaves and the group rebalances', async () => {
  const leaving = members[members.length - 1];
  if (!leaving) throw new Error('no member to stop');
  await leaving.consumer.disconnect();
  leaving.connected = false;

  const assignments = await waitFor('the remaining members to settle after one left', settledAssignments, 25_000, 250).catch(
    (error: unknown) => {
      throw new Error(`${String(error)}\nkafkajs errors:\n${kafkaErrors.slice(-5).join('\n')}`);
    },
  );
  expect(assignments.size).toBe(members.length - 1);
  expectCoPartitioned(assignments);
});
