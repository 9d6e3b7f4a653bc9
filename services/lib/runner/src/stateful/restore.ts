/**
 * Restores partition numbers before they are processed. Why the result is exactly the committed state:
 *
 * 1. Fence first. Creating the partition's transactional producer and starting a transaction makes
 *    the broker bump the producer epoch of that transactional id: a previous owner (a process killed
 *    with -9, or a zombie that lost the group) can no longer commit, and a transaction it left open is
 *    aborted (one already committing is completed) before the call returns.
 * 2. Then read the group's committed offsets. Offsets are only ever committed inside those
 *    transactions, so after the fence they no longer move, and they match exactly the changelog
 *    records that committed with them.
 * 3. Then read the changelog and table partitions from the beginning to their end offsets, read
 *    committed: the state of every key as of the last committed transaction, nothing aborted.
 * 4. Records below the committed offsets are skipped when the group consumer delivers them (kafkajs
 *    fetched its start positions when it joined, possibly before the fence), so nothing is applied twice.
 *    Table records below the position the restore reached are skipped as well: applying them again
 *    would briefly show older values.
 */
import type { AvroCodec, KafkaPort } from '@notify/kafka';
import type { TopicName, ValueOf } from '@notify/schemas';
import type { Logger } from '../logger';
import type { WorkerMetrics } from '../metrics';
import { JournaledStore } from './journaled-store';
import { PartitionRuntime, Tables } from './partition-runtime';
import type { StatefulSpec } from './types';

export function transactionalIdOf(groupId: string, partition: number): string {
  return `${groupId}.partition-${partition}`;
}

export interface RestoreDeps {
  kafka: KafkaPort;
  codec: AvroCodec;
  log: Logger;
  metrics: WorkerMetrics;
}

export async function restorePartitions<I extends TopicName, C extends TopicName, S>(
  spec: StatefulSpec<I, C, S>,
  deps: RestoreDeps,
  partitions: number[],
  generation: number,
): Promise<Map<number, PartitionRuntime<I, S>>> {
  const started = Date.now();
  const runtimes = new Map<number, PartitionRuntime<I, S>>();
  try {
    await Promise.all(
      partitions.map(async (partition) => {
        const producer = deps.kafka.producer({ transactionalId: transactionalIdOf(spec.groupId, partition) });
        await producer.connect();
        runtimes.set(
          partition,
          new PartitionRuntime<I, S>(partition, generation, producer, new Tables(), new JournaledStore<S>(spec.changelog.clone)),
        );
        const fence = await producer.transaction();
        await fence.abort();
      }),
    );

    const admin = deps.kafka.admin();
    await admin.connect();
    try {
      for (const o of await admin.committedOffsets(spec.groupId, [...spec.inputs, ...spec.tables])) {
        if (o.offset !== '-1') runtimes.get(o.partition)?.advance(o.topic, BigInt(o.offset));
      }
    } finally {
      await admin.disconnect();
    }

    let records = 0;
    const positions = await deps.kafka.readToEnd({
      topics: [spec.changelog.topic, ...spec.tables],
      partitions,
      onRecord: async (record) => {
        const runtime = runtimes.get(record.partition);
        if (!runtime || record.key === null) return;
        records++;
        if (record.topic === spec.changelog.topic) {
          const value = record.value === null ? null : await deps.codec.decode(spec.changelog.topic, record.value);
          runtime.state.load(record.key, value === null ? undefined : spec.changelog.decode(value as ValueOf<C>));
          return;
        }
        try {
          runtime.tables.apply(
            record.topic,
            record.key,
            record.value === null ? null : await deps.codec.decode(record.topic as TopicName, record.value),
          );
        } catch (error) {
          deps.log.warn(
            { topic: record.topic, partition: record.partition, offset: record.offset, err: error },
            'table record skipped: cannot decode',
          );
        }
      },
    });
    for (const p of positions) {
      if (p.topic !== spec.changelog.topic) runtimes.get(p.partition)?.advance(p.topic, BigInt(p.offset));
    }

    for (const runtime of runtimes.values()) {
      runtime.processor = spec.createProcessor({
        partition: runtime.partition,
        tables: runtime.tables,
        state: runtime.state,
        log: deps.log,
        metrics: deps.metrics,
      });
      runtime.processor.reindex(runtime.state.keys());
    }
    deps.log.info(
      { partitions, records, keys: [...runtimes.values()].reduce((n, r) => n + r.state.size, 0), ms: Date.now() - started },
      'partitions restored',
    );
    return runtimes;
  } catch (error) {
    await Promise.all([...runtimes.values()].map((r) => r.producer.disconnect().catch(() => undefined)));
    throw error;
  }
}
