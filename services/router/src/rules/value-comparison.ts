/**
 * How condition values compare when the field is not `severity`: numerically when both sides are
 * numbers or numeric strings (so "100" > 20), otherwise as text by code point (locale-independent,
 * so the same file routes the same way on every host).
 */
export type Scalar = string | number | boolean | null;

const NUMERIC_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

export function valuesEqual(actual: unknown, expected: Scalar): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined || !isScalar(actual)) return false;
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a !== undefined && b !== undefined) return a === b;
  return String(actual) === String(expected);
}

/** Negative, zero or positive like a sort comparator; undefined when the actual value cannot be ordered. */
export function compareOrdered(actual: unknown, expected: string | number): number | undefined {
  if (typeof actual !== 'string' && typeof actual !== 'number') return undefined;
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const left = String(actual);
  const right = String(expected);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function containsValue(actual: unknown, expected: Scalar): boolean {
  if (typeof actual === 'string') return expected !== null && actual.includes(String(expected));
  if (Array.isArray(actual)) return actual.some((item: unknown) => valuesEqual(item, expected));
  return false;
}
