import { AssignerProtocol, type Cluster, type GroupMember, type Logger, type PartitionMetadata } from 'kafkajs';
import {
  assignByPartitionNumber,
  COPARTITIONED_ASSIGNER_NAME,
  CoPartitionedAssigner,
  CoPartitionMismatchError,
  sharedPartitionCount,
} from './copartition-assigner';

const INTENTS = 'notifications.intents';
const PREFS = 'notifications.preferences';

/** Partition numbers per member, checking on the way that every topic got the same ones. */
function numbersOf(assignment: Map<string, Record<string, number[]>>, topics: string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [member, byTopic] of assignment) {
    const perTopic = topics.map((t) => byTopic[t] ?? []);
    for (const numbers of perTopic) expect(numbers).toEqual(perTopic[0]);
    out[member] = perTopic[0] ?? [];
  }
  return out;
}

/** Every number 0..P-1 exactly once across members. */
function expectExactCover(numbers: Record<string, number[]>, partitionCount: number): void {
  const all = Object.values(numbers)
    .flat()
    .sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: partitionCount }, (_, i) => i));
}

describe('sharedPartitionCount', () => {
  it('returns the count all topics share', () => {
    expect(sharedPartitionCount({ [INTENTS]: 6, [PREFS]: 6 })).toBe(6);
    expect(sharedPartitionCount({})).toBe(0);
  });

  it('names every topic and its count when they differ', () => {
    const counts = { [INTENTS]: 6, [PREFS]: 3, 'notifications.acks': 6 };
    expect(() => sharedPartitionCount(counts)).toThrow(CoPartitionMismatchError);
    expect(() => sharedPartitionCount(counts)).toThrow(
      'co-partitioned topics must all have the same partition count, got notifications.intents=6, notifications.preferences=3, notifications.acks=6',
    );
  });
});

describe('assignByPartitionNumber', () => {
  const topics = [INTENTS, PREFS];

  it('spreads an even count into equal contiguous runs, the same numbers for every topic', () => {
    const result = assignByPartitionNumber(['b', 'a', 'c'], { [INTENTS]: 6, [PREFS]: 6 });
    expect(result).toEqual(
      new Map([
        ['a', { [INTENTS]: [0, 1], [PREFS]: [0, 1] }],
        ['b', { [INTENTS]: [2, 3], [PREFS]: [2, 3] }],
        ['c', { [INTENTS]: [4, 5], [PREFS]: [4, 5] }],
      ]),
    );
  });

  it('gives ⌈P/M⌉ to the first P mod M members in id order and ⌊P/M⌋ to the rest', () => {
    const numbers = numbersOf(assignByPartitionNumber(['m3', 'm1', 'm4', 'm2'], { [INTENTS]: 10, [PREFS]: 10 }), topics);
    expect(numbers).toEqual({ m1: [0, 1, 2], m2: [3, 4, 5], m3: [6, 7], m4: [8, 9] });
    expectExactCover(numbers, 10);
  });

  it('does not depend on the order the broker lists members in', () => {
    const counts = { [INTENTS]: 7, [PREFS]: 7 };
    expect(assignByPartitionNumber(['x', 'y', 'z'], counts)).toEqual(assignByPartitionNumber(['z', 'x', 'y'], counts));
  });

  it('leaves members beyond the partition count idle with an empty assignment', () => {
    const result = assignByPartitionNumber(['d', 'c', 'b', 'a'], { [INTENTS]: 2, [PREFS]: 2 });
    expect(result).toEqual(
      new Map([
        ['a', { [INTENTS]: [0], [PREFS]: [0] }],
        ['b', { [INTENTS]: [1], [PREFS]: [1] }],
        ['c', {}],
        ['d', {}],
      ]),
    );
  });

  it('gives a single member everything', () => {
    expect(assignByPartitionNumber(['only'], { [INTENTS]: 3, [PREFS]: 3 })).toEqual(
      new Map([['only', { [INTENTS]: [0, 1, 2], [PREFS]: [0, 1, 2] }]]),
    );
  });

  it('balances and co-partitions for every small member and partition count', () => {
    for (let partitions = 0; partitions <= 12; partitions++) {
      for (let memberCount = 1; memberCount <= 7; memberCount++) {
        const members = Array.from({ length: memberCount }, (_, i) => `member-${i}`);
        const numbers = numbersOf(assignByPartitionNumber(members, { [INTENTS]: partitions, [PREFS]: partitions }), topics);
        expectExactCover(numbers, partitions);
        const sizes = Object.values(numbers).map((n) => n.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(Math.max(...sizes)).toBe(Math.ceil(partitions / memberCount));
      }
    }
  });

  it('throws the mismatch error instead of assigning', () => {
    expect(() => assignByPartitionNumber(['a', 'b'], { [INTENTS]: 6, [PREFS]: 4 })).toThrow(
      /notifications\.intents=6, notifications\.preferences=4/,
    );
  });

  describe('with the previous assignment', () => {
    it('keeps surviving members on their numbers when one leaves', () => {
      const previous = new Map([
        ['a', [0, 1]],
        ['b', [2, 3]],
        ['c', [4, 5]],
      ]);
      const numbers = numbersOf(assignByPartitionNumber(['a', 'c'], { [INTENTS]: 6, [PREFS]: 6 }, previous), topics);
      expect(numbers).toEqual({ a: [0, 1, 2], c: [3, 4, 5] });
    });

    it('moves only what a new member needs when one joins', () => {
      const previous = new Map([
        ['a', [0, 1, 2]],
        ['c', [3, 4, 5]],
      ]);
      const numbers = numbersOf(assignByPartitionNumber(['a', 'b', 'c'], { [INTENTS]: 6, [PREFS]: 6 }, previous), topics);
      // a gives up 2 and c gives up 5: two moves, the minimum for a 2/2/2 spread.
      expect(numbers).toEqual({ a: [0, 1], b: [2, 5], c: [3, 4] });
    });

    it('gives the extra slot of an uneven spread to the member that already owns most', () => {
      const previous = new Map([
        ['a', [0]],
        ['b', [1, 2, 3, 4]],
      ]);
      const numbers = numbersOf(assignByPartitionNumber(['a', 'b'], { [INTENTS]: 5, [PREFS]: 5 }, previous), topics);
      expect(numbers).toEqual({ a: [0, 4], b: [1, 2, 3] });
    });

    it('stays balanced and co-partitioned whatever the history says', () => {
      // Deterministic pseudo-random histories (LCG) so a failure reproduces.
      let seed = 42;
      const rand = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
      for (let run = 0; run < 300; run++) {
        const partitions = rand(13);
        const members = Array.from({ length: 1 + rand(6) }, (_, i) => `m${i}`);
        const previous = new Map(members.map((m) => [m, Array.from({ length: rand(8) }, () => rand(16) - 2)]));
        const numbers = numbersOf(assignByPartitionNumber(members, { [INTENTS]: partitions, [PREFS]: partitions }, previous), topics);
        expectExactCover(numbers, partitions);
        const sizes = Object.values(numbers).map((n) => n.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    });

    it('ignores stale history: unknown members, numbers out of range and numbers claimed twice', () => {
      const previous = new Map([
        ['gone', [0, 1]],
        ['a', [1, 2, 9]],
        ['b', [2, 3, -1]],
      ]);
      const numbers = numbersOf(assignByPartitionNumber(['a', 'b'], { [INTENTS]: 4, [PREFS]: 4 }, previous), topics);
      expect(numbers).toEqual({ a: [1, 2], b: [0, 3] });
      expectExactCover(numbers, 4);
    });
  });
});

describe('CoPartitionedAssigner (kafkajs plumbing)', () => {
  const silent: Logger = {
    info: () => undefined,
    error: () => undefined,
    warn: jest.fn(),
    debug: () => undefined,
    namespace: () => silent,
    setLogLevel: () => undefined,
  };

  function clusterWith(counts: Record<string, number>): Cluster {
    const partitions = (n: number): PartitionMetadata[] =>
      Array.from({ length: n }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
    // Only findTopicPartitionMetadata is used by the assigner; the rest of Cluster is irrelevant here.
    const cluster: Pick<Cluster, 'findTopicPartitionMetadata'> = { findTopicPartitionMetadata: (topic) => partitions(counts[topic] ?? 0) };
    return cluster as Cluster;
  }

  function member(memberId: string, topics: string[]): GroupMember {
    return { memberId, memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  }

  function decoded(assignments: Array<{ memberId: string; memberAssignment: Buffer }>): Record<string, Record<string, number[]>> {
    return Object.fromEntries(
      assignments.map((a) => [a.memberId, AssignerProtocol.MemberAssignment.decode(a.memberAssignment)?.assignment ?? {}]),
    );
  }

  it('advertises its protocol with the subscribed topics', () => {
    const assigner = CoPartitionedAssigner({ cluster: clusterWith({}), groupId: 'g', logger: silent });
    const state = assigner.protocol({ topics: [INTENTS, PREFS] });
    expect(state.name).toBe(COPARTITIONED_ASSIGNER_NAME);
    expect(AssignerProtocol.MemberMetadata.decode(state.metadata)?.topics).toEqual([INTENTS, PREFS]);
  });

  it('encodes one co-partitioned assignment per member, idle members included', async () => {
    const assigner = CoPartitionedAssigner({ cluster: clusterWith({ [INTENTS]: 3, [PREFS]: 3 }), groupId: 'g', logger: silent });
    const topics = [INTENTS, PREFS];
    const result = await assigner.assign({ members: ['m2', 'm1', 'm3', 'm4'].map((m) => member(m, topics)), topics });
    expect(decoded(result)).toEqual({
      m1: { [INTENTS]: [0], [PREFS]: [0] },
      m2: { [INTENTS]: [1], [PREFS]: [1] },
      m3: { [INTENTS]: [2], [PREFS]: [2] },
      m4: {},
    });
  });

  it('is sticky across rebalances led by the same instance', async () => {
    const assigner = CoPartitionedAssigner({ cluster: clusterWith({ [INTENTS]: 6, [PREFS]: 6 }), groupId: 'g', logger: silent });
    const topics = [INTENTS, PREFS];
    await assigner.assign({ members: ['a', 'b', 'c'].map((m) => member(m, topics)), topics });
    const afterLeave = await assigner.assign({ members: ['a', 'c'].map((m) => member(m, topics)), topics });
    expect(decoded(afterLeave)).toEqual({
      a: { [INTENTS]: [0, 1, 2], [PREFS]: [0, 1, 2] },
      c: { [INTENTS]: [3, 4, 5], [PREFS]: [3, 4, 5] },
    });
  });

  it('rejects topics with different partition counts, counting a topic missing from metadata as 0', async () => {
    const assigner = CoPartitionedAssigner({ cluster: clusterWith({ [INTENTS]: 6 }), groupId: 'g', logger: silent });
    const topics = [INTENTS, PREFS];
    await expect(assigner.assign({ members: [member('a', topics)], topics })).rejects.toThrow(
      /notifications\.intents=6, notifications\.preferences=0/,
    );
  });

  it('warns when members subscribe to different topics', async () => {
    const warn = jest.fn();
    const logger: Logger = { ...silent, warn };
    const assigner = CoPartitionedAssigner({ cluster: clusterWith({ [INTENTS]: 2, [PREFS]: 2 }), groupId: 'g', logger });
    await assigner.assign({ members: [member('a', [INTENTS, PREFS]), member('b', [INTENTS])], topics: [PREFS, INTENTS] });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toEqual({ leaderTopics: [PREFS, INTENTS], differing: [{ memberId: 'b', topics: [INTENTS] }] });
  });
});
