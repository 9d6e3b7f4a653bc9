/**
 * Reads chosen partitions of some topics from their beginning up to their end offsets, for restoring
 * state stores. kafkajs has no manual assignment, so this runs a short-lived consumer in a group of
 * its own (a random name no other member joins) whose assigner hands it exactly the requested
 * partition numbers. Nothing is ever committed for that group; it is deleted afterwards.
 *
 * "The end" is the high watermark fetched when reading starts. The consumer reads committed records
 * only, so a partition whose tail is a transaction marker or an aborted transaction has no record at
 * its last offset: progress is therefore tracked through kafkajs's END_BATCH_PROCESS event, whose
 * `lastOffset` counts those filtered records too (kafkajs resolves batches made only of them without
 * calling eachBatch, but still reports them).
 */
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { Namespace } from './namespace';
import type { ConsumedRecord, ReadToEndRequest, TopicPartitionOffset } from './port';

const ASSIGNER_NAME = 'FixedPartitionNumbers';

/** Gives every member (there is only one) the same partition numbers of every subscribed topic. */
function fixedPartitions(numbers: readonly number[]): PartitionAssigner {
  return () => ({
    name: ASSIGNER_NAME,
    version: 0,
    async assign({ members, topics }) {
      const assignment: Record<string, number[]> = {};
      for (const topic of topics) assignment[topic] = [...numbers];
      return members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}

interface Progress {
  /** Next offset reached. */
  next: bigint;
  end: bigint;
}

export async function readToEnd(kafka: Kafka, ns: Namespace, request: ReadToEndRequest): Promise<TopicPartitionOffset[]> {
  const progress = new Map<string, Progress>();
  const keyOf = (physical: string, partition: number) => `${partition}|${physical}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of request.topics) {
      const physical = ns.topic(topic);
      const offsets = await admin.fetchTopicOffsets(physical);
      for (const partition of request.partitions) {
        const entry = offsets.find((o) => o.partition === partition);
        if (!entry) throw new Error(`${topic} has no partition ${partition}`);
        progress.set(keyOf(physical, partition), { next: BigInt(entry.low), end: BigInt(entry.high) });
      }
    }
    const pending = () => [...progress.values()].some((p) => p.next < p.end);
    if (pending()) await consumeUntilEnd(kafka, ns, request, progress, keyOf, pending);
  } finally {
    await admin.disconnect();
  }
  return [...progress].map(([key, p]) => {
    const bar = key.indexOf('|');
    return { topic: ns.logicalTopic(key.slice(bar + 1)), partition: Number(key.slice(0, bar)), offset: p.next.toString() };
  });
}

async function consumeUntilEnd(
  kafka: Kafka,
  ns: Namespace,
  request: ReadToEndRequest,
  progress: Map<string, Progress>,
  keyOf: (physical: string, partition: number) => string,
  pending: () => boolean,
): Promise<void> {
  const groupId = ns.group(`restore.${randomUUID()}`);
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    partitionAssigners: [fixedPartitions(request.partitions)],
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 4 * 1_048_576,
    readUncommitted: false,
  });
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const advance = (physical: string, partition: number, lastOffset: string | null) => {
    const p = progress.get(keyOf(physical, partition));
    if (!p || lastOffset === null) return;
    const next = BigInt(lastOffset) + 1n;
    if (next > p.next) p.next = next;
    if (!pending()) finish();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) =>
    advance(event.payload.topic, event.payload.partition, event.payload.lastOffset),
  );
  consumer.on(consumer.events.CRASH, (event) => fail(event.payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: request.topics.map((t) => ns.topic(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const topic = ns.logicalTopic(batch.topic);
        for (const m of batch.messages) {
          const record: ConsumedRecord = {
            topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString() : null,
            value: m.value,
            headers: {},
            timestamp: Number(m.timestamp),
          };
          await request.onRecord(record);
        }
        advance(batch.topic, batch.partition, batch.lastOffset());
      },
    });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    // The group never committed, so it holds nothing; deleting it only tidies the group list.
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
