/**
 * One HTTP request of a publish call, bounded by its own timeout: it either yields the server's
 * answer (any status) or says why none came. Deciding what to do next is the caller's job.
 */

export type Outcome =
  | { kind: 'answer'; status: number; body: unknown; retryAfter: string | null }
  | { kind: 'no_answer'; code: 'timeout' | 'network'; error: unknown };

export class CallAborted extends Error {
  constructor(readonly reason: unknown) {
    super('the publish call was aborted by its caller');
    this.name = 'CallAborted';
  }
}

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

function parseBody(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Throws CallAborted when the caller's signal fires; every other failure is an Outcome. */
export async function attempt(fetchFn: typeof fetch, request: AttemptRequest): Promise<Outcome> {
  if (request.signal?.aborted) throw new CallAborted(request.signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    // The body is read inside the same timeout: an answer that stalls halfway is no answer.
    const response = await fetchFn(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const text = await response.text();
    return { kind: 'answer', status: response.status, body: parseBody(text), retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    if (request.signal?.aborted) throw new CallAborted(request.signal.reason);
    return { kind: 'no_answer', code: timedOut ? 'timeout' : 'network', error };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Waits `ms`, or throws CallAborted as soon as the caller aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CallAborted(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CallAborted(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
