/**
 * A template that cannot be used, or a render it was cut off. Permanent: the same template and
 * data fail the same way on every attempt, so the notification fails with this reason instead of
 * being retried, and the worker goes on with the next message.
 */
import { PermanentError } from '@notify/errors';

export interface TemplateErrorDetails {
  /** The field of the message template: title, body, html, item, group or more. */
  field?: string;
  /** 1-based position in the field's text, when the error is tied to one. */
  line?: number;
  column?: number;
  cause?: unknown;
}

/** A malformed template file, an unknown field, a syntax error or an unknown filter. */
export class TemplateError extends PermanentError {
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, details: TemplateErrorDetails = {}, code = 'template_invalid') {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.field = details.field;
    this.line = details.line;
    this.column = details.column;
  }
}

/** Which render limit a template ran into. */
export type TemplateLimit = 'time' | 'output size' | 'iterations';

/** A render stopped by a limit: a loop that runs too long, too many iterations, output too large. */
export class TemplateLimitError extends TemplateError {
  constructor(
    readonly limit: TemplateLimit,
    message: string,
    details: TemplateErrorDetails = {},
  ) {
    super(message, details, 'template_limit');
  }
}
