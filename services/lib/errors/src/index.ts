export { Deferral } from './deferral';

/**
 * Every failure the pipeline handles on purpose is one of these. The runner decides what to do
 * from the class (retry, dead-letter, reject), never from the message text.
 */
export abstract class PipelineError extends Error {
  abstract readonly retryable: boolean;
  /** Short machine-readable class of the failure, carried into rejected and dead-letter records. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Worth trying again later: a timeout, a 5xx, a 429, a broker or database hiccup. */
export class RetryableError extends PipelineError {
  readonly retryable = true;
  /** When the other side told us how long to wait (Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(code, message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Will fail the same way every time: a 4xx, an invalid address, a rule that cannot apply. */
export class PermanentError extends PipelineError {
  readonly retryable = false;
}

/** The input record itself is unusable: not Avro, the wrong schema, or invalid fields. */
export class InvalidInputError extends PipelineError {
  readonly retryable = false;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof PipelineError) return error.retryable;
  // Unknown failures are treated as transient: dropping a record on a bug would lose data,
  // while a retry loop is visible in metrics and logs.
  return true;
}

export function errorCode(error: unknown): string {
  return error instanceof PipelineError ? error.code : 'unexpected';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
