/**
 * A kafkajs partition assigner that co-partitions: partition p of every subscribed topic goes to the
 * same group member, the guarantee Kafka Streams gives its joins. The aggregator is keyed by
 * recipient and joins intents, preferences, recipients and acks, which share one partition count
 * and the default partitioner, so one recipient's records sit in the same partition NUMBER of each
 * topic. kafkajs's default RoundRobinAssigner deals out (topic, partition) pairs one by one, so
 * partition 3 of intents and partition 3 of preferences can land on different instances and the
 * join would silently miss state. This assigner deals out partition numbers instead.
 *
 * Stickiness: kafkajs gives an assigner no way to learn what its own member was assigned (only the
 * leader's assigner runs assign(), and the member's received assignment never reaches it), so
 * members cannot report their previous partitions in userData. The assigner is sticky only as far
 * as the leader remembers: the leader's instance keeps the assignment it last computed, and as long
 * as the same member stays leader, surviving members keep the partition numbers they had (up to
 * their new fair share). When the leader itself leaves, the new leader starts fresh and partitions
 * may move. Either way the result is balanced and co-partitioned; stickiness only reduces movement.
 *
 * Rollout: every member of a group must offer this assigner, or the broker finds no common protocol
 * and rejects the join (INCONSISTENT_GROUP_PROTOCOL). We deliberately do not offer roundRobin as a
 * fallback, because a fallback would silently break co-partitioning instead of failing loudly.
 */
import {
  AssignerProtocol,
  type Assigner,
  type Assignment,
  type GroupMember,
  type GroupMemberAssignment,
  type Logger,
  type PartitionAssigner,
} from 'kafkajs';

/** Protocol name sent to the broker; every member of the group must offer the same one. */
export const COPARTITIONED_ASSIGNER_NAME = 'CoPartitionedAssigner';
/** Written into member metadata and assignments; bump only if userData gains a format. */
const VERSION = 0;

/** Thrown (and so crashing the leader's consumer) when the subscribed topics cannot co-partition. */
export class CoPartitionMismatchError extends Error {
  constructor(readonly partitionCounts: Readonly<Record<string, number>>) {
    const listed = Object.entries(partitionCounts)
      .map(([topic, count]) => `${topic}=${count}`)
      .join(', ');
    super(
      `co-partitioned topics must all have the same partition count, got ${listed}; ` +
        'repartition them to one count (see schemas/src/topics.ts, partitions "user") before this group can join',
    );
    this.name = 'CoPartitionMismatchError';
  }
}

/**
 * The one partition count shared by all topics, or CoPartitionMismatchError. A topic missing from
 * metadata counts as 0 partitions, so it is reported rather than silently left unassigned.
 */
export function sharedPartitionCount(topicPartitionCounts: Readonly<Record<string, number>>): number {
  const counts = new Set(Object.values(topicPartitionCounts));
  if (counts.size > 1) throw new CoPartitionMismatchError(topicPartitionCounts);
  const [count = 0] = counts;
  return count;
}

/**
 * Pure assignment: spreads partition numbers 0..P-1 over the members and gives each member those
 * numbers for every topic. Each member gets ⌈P/M⌉ or ⌊P/M⌋ numbers; members beyond P get nothing.
 *
 * Deterministic for the same input: members are taken in sorted id order (so it does not matter in
 * which order the broker lists them), and without `previous` the first P mod M members get one
 * extra number and each member gets a contiguous run of numbers.
 *
 * `previous` (member id -> partition numbers it owned) makes it sticky: a member keeps as many of
 * its old numbers as its share allows, and the extra slots of an uneven spread go to the members
 * that already own the most, so the fewest partitions move. Entries for unknown members, numbers
 * out of range and numbers claimed twice are ignored, so stale input cannot unbalance the result.
 *
 * Topics a member got no numbers for are left out of its assignment (an idle member gets `{}`), as
 * kafkajs's own assigner does.
 */
export function assignByPartitionNumber(
  memberIds: readonly string[],
  topicPartitionCounts: Readonly<Record<string, number>>,
  previous: ReadonlyMap<string, readonly number[]> = new Map(),
): Map<string, Assignment> {
  const partitionCount = sharedPartitionCount(topicPartitionCounts);
  const topics = Object.keys(topicPartitionCounts).sort();
  const members = [...new Set(memberIds)].sort();
  const numbersByMember = spreadPartitionNumbers(members, partitionCount, previous);

  const result = new Map<string, Assignment>();
  for (const member of members) {
    const numbers = numbersByMember.get(member) ?? [];
    const assignment: Assignment = {};
    if (numbers.length > 0) for (const topic of topics) assignment[topic] = [...numbers];
    result.set(member, assignment);
  }
  return result;
}

/** Member (sorted ids) -> ascending partition numbers; see assignByPartitionNumber. */
function spreadPartitionNumbers(
  members: readonly string[],
  partitionCount: number,
  previous: ReadonlyMap<string, readonly number[]>,
): Map<string, number[]> {
  const result = new Map<string, number[]>(members.map((m) => [m, []]));
  if (members.length === 0) return result;

  // What each member may keep: its previous numbers still in range, first claim wins.
  const claimed = new Set<number>();
  const kept = new Map<string, number[]>();
  for (const member of members) {
    const mine = [...(previous.get(member) ?? [])]
      .filter((p) => Number.isInteger(p) && p >= 0 && p < partitionCount && !claimed.has(p))
      .sort((a, b) => a - b);
    const unique = [...new Set(mine)];
    for (const p of unique) claimed.add(p);
    kept.set(member, unique);
  }

  // Fair shares: everyone gets ⌊P/M⌋, P mod M members one more. The extra slots go to whoever keeps
  // most (ties by id), which without history is simply the first members in id order.
  const base = Math.floor(partitionCount / members.length);
  const extra = partitionCount % members.length;
  const byKept = [...members].sort((a, b) => (kept.get(b)?.length ?? 0) - (kept.get(a)?.length ?? 0) || compare(a, b));
  const quota = new Map<string, number>(byKept.map((m, i) => [m, base + (i < extra ? 1 : 0)]));

  const taken = new Set<number>();
  for (const member of members) {
    const keep = (kept.get(member) ?? []).slice(0, quota.get(member) ?? 0);
    for (const p of keep) taken.add(p);
    result.set(member, keep);
  }

  // Hand the rest out in ascending order, filling members in id order up to their share.
  const free: number[] = [];
  for (let p = 0; p < partitionCount; p++) if (!taken.has(p)) free.push(p);
  let next = 0;
  for (const member of members) {
    const numbers = result.get(member) ?? [];
    const share = quota.get(member) ?? 0;
    while (numbers.length < share && next < free.length) numbers.push(free[next++] as number);
    numbers.sort((a, b) => a - b);
    result.set(member, numbers);
  }
  return result;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Partition numbers per member, read back from an assignment built by assignByPartitionNumber. */
function partitionNumbers(assignment: Assignment): number[] {
  const [first = []] = Object.values(assignment);
  return first;
}

/** Topics a member subscribed to, from the metadata its protocol() sent; undefined if unreadable. */
function subscribedTopics(member: GroupMember): string[] | undefined {
  try {
    return AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics;
  } catch {
    return undefined;
  }
}

/**
 * Warns when members subscribe to different topic sets: kafkajs assigns the leader's topics to
 * everyone and a member drops topics it did not subscribe to, leaving those partitions unread.
 * It happens briefly during a rolling deploy that changes the topic list, so it is not fatal.
 */
function warnOnDifferentSubscriptions(members: readonly GroupMember[], topics: readonly string[], logger: Logger): void {
  const expected = [...topics].sort().join(',');
  const differing = members.flatMap((m) => {
    const theirs = subscribedTopics(m);
    return theirs && [...theirs].sort().join(',') !== expected ? [{ memberId: m.memberId, topics: theirs }] : [];
  });
  if (differing.length > 0) {
    logger.warn('Members subscribe to different topics; partitions of topics they lack will not be consumed', {
      leaderTopics: topics,
      differing,
    });
  }
}

/**
 * The kafkajs assigner: `kafka.consumer({ groupId, partitionAssigners: [CoPartitionedAssigner] })`.
 * kafkajs builds one instance per consumer, so the closure's memory is that consumer's.
 */
export const CoPartitionedAssigner: PartitionAssigner = ({ cluster, groupId, logger }): Assigner => {
  // Leader-side memory of the last assignment, the only history kafkajs lets us have (see top).
  let lastAssigned = new Map<string, readonly number[]>();

  return {
    name: COPARTITIONED_ASSIGNER_NAME,
    version: VERSION,

    async assign({ members, topics }): Promise<GroupMemberAssignment[]> {
      warnOnDifferentSubscriptions(members, topics, logger);
      // kafkajs refreshes metadata right before calling assign, so these counts are current.
      const counts: Record<string, number> = {};
      for (const topic of topics) counts[topic] = cluster.findTopicPartitionMetadata(topic).length;

      const assignment = assignByPartitionNumber(
        members.map((m) => m.memberId),
        counts,
        lastAssigned,
      );
      lastAssigned = new Map([...assignment].map(([member, a]) => [member, partitionNumbers(a)]));
      logger.info('Co-partitioned assignment', {
        groupId,
        topics,
        partitionsByMember: Object.fromEntries(lastAssigned),
      });

      return [...assignment].map(([memberId, memberAssignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          assignment: memberAssignment,
          userData: Buffer.alloc(0),
        }),
      }));
    },

    protocol({ topics }) {
      return {
        name: COPARTITIONED_ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }),
      };
    },
  };
};
