/**
 * A consumer through our Kafka port that hands every batch to a callback, then resolves and commits
 * its offsets. Resolves `joined` on the first partition assignment so callers know it is live.
 */
import type { ConsumedBatch, KafkaPort } from '@notify/kafka';

export interface RunningConsumer {
  joined: Promise<void>;
  stop(): Promise<void>;
}

export async function startConsumer(
  kafka: KafkaPort,
  options: { groupId: string; topics: string[]; partitionsConcurrently: number },
  onBatch: (batch: ConsumedBatch) => Promise<void> | void,
): Promise<RunningConsumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    partitionsConcurrently: options.partitionsConcurrently,
    fromBeginning: true,
  });
  let markJoined: () => void = () => {};
  const joined = new Promise<void>((resolve) => (markJoined = resolve));
  consumer.onAssignment(() => markJoined());
  await consumer.connect();
  await consumer.subscribe(options.topics);
  await consumer.run(async (batch, control) => {
    const last = batch.records[batch.records.length - 1];
    if (!last) return;
    await onBatch(batch);
    control.resolve(last.offset);
    await control.commit();
  });
  return { joined, stop: () => consumer.disconnect() };
}
