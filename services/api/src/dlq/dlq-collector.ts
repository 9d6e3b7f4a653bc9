/**
 * The worker handler that files each notifications.dlq record into Postgres. It runs on the shared
 * runner in one group for all API replicas; a database outage is retried in place, so no dead letter
 * is skipped.
 */
import { RetryableError } from '@notify/errors';
import type { DeadLetterPolicy, Handler, InputRecord, Output } from '@notify/runner';
import type { DeadLetter } from '@notify/schemas';
import { deadLetterSubject, type DecodeOriginal } from './dead-letter-subject';
import type { DlqStore } from './dlq-store';

export const DLQ_COLLECTOR_STAGE = 'api-dlq';

export function createDlqCollector(store: DlqStore, decodeOriginal: DecodeOriginal): Handler<'notifications.dlq'> {
  return {
    async handle(record: InputRecord<DeadLetter>): Promise<Output[]> {
      const subject = await deadLetterSubject(record.value, decodeOriginal);
      try {
        await store.insert(record.partition, record.offset, record.value, subject);
      } catch (error) {
        throw new RetryableError(
          'database_unavailable',
          `dead letter not stored: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      return [];
    },
  };
}

/** An unreadable record on the DLQ is logged and counted by the runner; sending it back to the DLQ would loop. */
export const dropUnreadableDeadLetter: DeadLetterPolicy = () => [];
