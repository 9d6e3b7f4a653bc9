/**
 * The tracker's handler: statuses into Postgres, a chunk at a time. It writes nothing to Kafka.
 * A database failure is retryable, so the runner retries the chunk without moving past it.
 */
import { RetryableError } from '@notify/errors';
import type { Handler, InputRecord, Output } from '@notify/runner';
import type { DeliveryStatus } from '@notify/schemas';
import type { StatusStore } from './status-store';

export const STAGE = 'tracker';

export function createTrackerHandler(store: StatusStore): Handler<'notifications.delivery-status'> {
  const handleChunk = async (records: InputRecord<DeliveryStatus>[]): Promise<Output[]> => {
    try {
      await store.write(records.map((r) => r.value));
    } catch (error) {
      throw new RetryableError('database_unavailable', `status write failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return [];
  };
  return { handleChunk, handle: (record) => handleChunk([record]) };
}
