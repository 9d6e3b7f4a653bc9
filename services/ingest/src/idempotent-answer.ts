/**
 * Answers a request carrying an Idempotency-Key at most once: the first request's answer is stored
 * and given again to repeats of the same request; another request with the key gets 409, and so does
 * a repeat arriving while the first is still being answered (it does not wait: the client retries).
 * Only answers below 500 are kept; after a failure the key is released so the retry is processed.
 */
import type { IdempotencyStore } from './idempotency-store';

export interface Answer {
  status: number;
  body: unknown;
  /** Seconds the client should wait before trying again (Retry-After). */
  retryAfterS?: number;
}

export interface KeyedRequest {
  tenant: string;
  key: string;
  hash: string;
}

const conflict = (code: string, message: string): Answer => ({ status: 409, body: { error: { code, message } } });

export async function answerOnce(
  store: IdempotencyStore,
  request: KeyedRequest,
  now: number,
  work: () => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  const begun = await store.begin(request.tenant, request.key, request.hash, now);
  switch (begun.kind) {
    case 'reused':
      return { ...conflict('idempotency_key_reused', 'this Idempotency-Key was used for a different request'), replayed: false };
    case 'in_flight':
      return {
        ...conflict('idempotency_key_in_flight', 'a request with this Idempotency-Key is still being processed; retry shortly'),
        retryAfterS: 1,
        replayed: false,
      };
    case 'replay':
      return { status: begun.status, body: begun.response, replayed: true };
    case 'owner':
      break;
  }
  let answer: Answer;
  try {
    answer = await work();
  } catch (error) {
    // The work's own failure is what the client must hear about; a release that fails too leaves the
    // key in flight until its lease ends, after which the retry takes it over.
    await store.release(request.tenant, request.key, begun.claimedAt).catch(() => undefined);
    throw error;
  }
  if (answer.status >= 500) await store.release(request.tenant, request.key, begun.claimedAt);
  else await store.complete(request.tenant, request.key, begun.claimedAt, answer.status, answer.body);
  return { ...answer, replayed: false };
}
