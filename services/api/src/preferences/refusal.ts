/**
 * A request refused for a reason the client can act on (409 conflict, 429 too many, 410 gone...).
 * Thrown inside a transaction so that nothing it started is kept; the routes' error handler answers it.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
