/** The interface both clients share, so a producer can move between HTTP and Kafka without other changes. */
import type { FieldProblem } from './errors';
import type { EventInput } from './event';

export interface PublishResult {
  event_id: string;
}

export interface BatchResult {
  /** Ids of the accepted events, in request order. */
  accepted: string[];
  /** Position in the request and field problems of each event that was not accepted. */
  rejected: Array<{ index: number; fields: FieldProblem[] }>;
}

export interface PublishOptions {
  /** Over HTTP: the Idempotency-Key of this call (default: a new UUID per call, reused by its retries). */
  idempotencyKey?: string;
  /** Gives up the call (and its retries) when aborted. */
  signal?: AbortSignal;
}

export interface Publisher {
  publish(event: EventInput, options?: PublishOptions): Promise<PublishResult>;
  publishBatch(events: EventInput[], options?: PublishOptions): Promise<BatchResult>;
  close(): Promise<void>;
}
