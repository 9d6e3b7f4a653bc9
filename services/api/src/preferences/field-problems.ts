/** Field-level validation problems, reported together so a client can fix every field at once. */
export interface FieldProblem {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reports every key of `value` outside `allowed`: a misspelt field silently ignored would look saved. */
export function rejectUnknownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  problems: FieldProblem[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push({ field: join(prefix, key), message: 'is not a known field' });
  }
}

export function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}
