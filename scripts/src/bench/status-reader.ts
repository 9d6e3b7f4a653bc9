/**
 * Reads notifications.delivery-status in its own consumer group, decodes each record with our codec
 * and hands it to the tracker with the time it was read.
 */
import type { AvroCodec, KafkaPort } from '@notify/kafka';
import type { DeliveryTracker } from './delivery-tracker';
import { startConsumer, type RunningConsumer } from './topic-consumer';

export const STATUS_TOPIC = 'notifications.delivery-status';
export const STATUS_READER_GROUP = 'bench.status-reader';

export async function startStatusReader(kafka: KafkaPort, codec: AvroCodec, tracker: DeliveryTracker): Promise<RunningConsumer> {
  let undecodable = 0;
  return startConsumer(kafka, { groupId: STATUS_READER_GROUP, topics: [STATUS_TOPIC], partitionsConcurrently: 6 }, async (batch) => {
    const arrivedAt = Date.now();
    for (const record of batch.records) {
      try {
        tracker.observe(await codec.decode(STATUS_TOPIC, record.value), arrivedAt);
      } catch (error) {
        // Not ours to judge; say so once in a while rather than per record.
        if (undecodable++ % 1000 === 0)
          console.error(`[bench] skipping undecodable status at ${record.partition}/${record.offset}: ${String(error)}`);
      }
    }
  });
}
