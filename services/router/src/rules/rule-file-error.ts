/** A rule file that cannot be used, with where to look: `<file>:<line>: <reason>`. */
export class RuleFileError extends Error {
  readonly file: string;
  /** 1-based line of the offending rule or field. */
  readonly line: number;
  readonly reason: string;

  constructor(file: string, line: number, reason: string, options?: { cause?: unknown }) {
    super(`${file}:${line}: ${reason}`, options);
    this.name = 'RuleFileError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
