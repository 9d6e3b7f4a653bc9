/** What went wrong with a publish, in the API's own terms: status, error code and every field problem. */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface PublishErrorDetails {
  /** HTTP status of the last answer; null when no answer came (network failure, timeout, Kafka). */
  status: number | null;
  /** The API's error code (`invalid_event`, `unauthorized`, `idempotency_key_reused`, ...) or the client's own (`timeout`, `network`, `aborted`, `http_<status>`, `kafka`). */
  code: string;
  message: string;
  fields?: FieldProblem[];
  /** Requests made for this call, retries included. */
  attempts: number;
  /** The Idempotency-Key the call used, so the caller can retry it later without a second event. */
  idempotencyKey?: string;
  cause?: unknown;
}

export class PublishError extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly attempts: number;
  readonly idempotencyKey: string | undefined;

  constructor(details: PublishErrorDetails) {
    const fields = details.fields ?? [];
    const listed = fields.length > 0 ? `: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : '';
    super(`${details.status === null ? '' : `${details.status} `}${details.code}: ${details.message}${listed}`, { cause: details.cause });
    this.name = 'PublishError';
    this.status = details.status;
    this.code = details.code;
    this.fields = fields;
    this.attempts = details.attempts;
    this.idempotencyKey = details.idempotencyKey;
  }
}
