/**
 * Publishes events to the ingest gateway over HTTP (POST /v1/events and /v1/events/batch). Every call
 * carries one Idempotency-Key, and every event one event_id, chosen before the first request and
 * sent again unchanged on each retry, so a retry after a lost answer gets the first answer back
 * instead of producing a second event.
 */
import { randomUUID } from 'node:crypto';
import { PublishError, type FieldProblem } from './errors';
import { withEventId, toHttpBody, type EventInput } from './event';
import { attempt, CallAborted, pause, type Outcome } from './http-attempt';
import type { BatchResult, PublishOptions, PublishResult, Publisher } from './publisher';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';

export interface NotificationClientOptions extends Partial<RetryPolicy> {
  /** The ingest gateway, e.g. http://ingest:8080. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; it decides the tenant. */
  apiKey: string;
  /** Limit on each request, reading the answer included (default 10 s). */
  timeoutMs?: number;
  /** Another fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
}

function apiError(status: number, body: unknown, attempts: number, idempotencyKey: string): PublishError {
  const error = body !== null && typeof body === 'object' ? (body as ErrorBody).error : undefined;
  const fields = Array.isArray(error?.fields) ? (error.fields as FieldProblem[]) : [];
  const fallback = typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `the server answered ${status}`;
  return new PublishError({
    status,
    code: typeof error?.code === 'string' ? error.code : `http_${status}`,
    message: typeof error?.message === 'string' ? error.message : fallback,
    fields,
    attempts,
    idempotencyKey,
  });
}

function noAnswerError(
  outcome: Extract<Outcome, { kind: 'no_answer' }>,
  timeoutMs: number,
  attempts: number,
  idempotencyKey: string,
): PublishError {
  const message =
    outcome.code === 'timeout'
      ? `no answer within ${timeoutMs} ms`
      : `the request failed: ${String((outcome.error as Error)?.cause ?? outcome.error)}`;
  return new PublishError({ status: null, code: outcome.code, message, attempts, idempotencyKey, cause: outcome.error });
}

export class NotificationClient implements Publisher {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly fetchFn: typeof fetch;

  constructor(options: NotificationClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.policy = {
      retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    };
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Resolves once Kafka has the event (202); a retried call resolves with the first call's event_id. */
  async publish(event: EventInput, options: PublishOptions = {}): Promise<PublishResult> {
    const identified = withEventId(event);
    const body = (await this.call('/v1/events', toHttpBody(identified), options)) as { event_id?: unknown };
    return { event_id: typeof body?.event_id === 'string' ? body.event_id : identified.event_id };
  }

  /** Resolves with the accepted ids and the rejected positions (202 or 207); throws when the batch as a whole is refused. */
  async publishBatch(events: EventInput[], options: PublishOptions = {}): Promise<BatchResult> {
    const body = (await this.call(
      '/v1/events/batch',
      { events: events.map((e) => toHttpBody(withEventId(e))) },
      options,
    )) as Partial<BatchResult>;
    return { accepted: body?.accepted ?? [], rejected: body?.rejected ?? [] };
  }

  /** Nothing to release: each call's connections are the fetch implementation's. */
  async close(): Promise<void> {}

  private async call(path: string, payload: unknown, options: PublishOptions): Promise<unknown> {
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    const request = {
      url: this.baseUrl + path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}`, 'idempotency-key': idempotencyKey },
      body: JSON.stringify(payload),
      timeoutMs: this.timeoutMs,
      signal: options.signal,
    };
    let attempts = 0;
    try {
      for (;;) {
        attempts++;
        const outcome = await attempt(this.fetchFn, request);
        if (outcome.kind === 'answer' && outcome.status < 300) return outcome.body;
        const delay = this.delayAfter(outcome, attempts);
        if (delay === null) {
          throw outcome.kind === 'answer'
            ? apiError(outcome.status, outcome.body, attempts, idempotencyKey)
            : noAnswerError(outcome, this.timeoutMs, attempts, idempotencyKey);
        }
        await pause(delay, options.signal);
      }
    } catch (error) {
      if (!(error instanceof CallAborted)) throw error;
      throw new PublishError({ status: null, code: 'aborted', message: error.message, attempts, idempotencyKey, cause: error.reason });
    }
  }

  /** The wait before the next request, or null when this outcome ends the call. */
  private delayAfter(outcome: Outcome, attempts: number): number | null {
    if (outcome.kind === 'no_answer') return retryDelay(attempts - 1, undefined, this.policy);
    const code = (outcome.body as ErrorBody | null)?.error?.code;
    if (!isRetryableStatus(outcome.status, typeof code === 'string' ? code : undefined)) return null;
    return retryDelay(attempts - 1, parseRetryAfter(outcome.retryAfter, Date.now()), this.policy);
  }
}
