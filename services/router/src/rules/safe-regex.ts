/**
 * User-written regular expressions run on every event, so a pathological one would stall routing for
 * all tenants. JavaScript has no regex timeout; instead patterns are kept short, nested quantifiers
 * such as `(a+)+` (the classic catastrophic-backtracking shape) are refused, and subjects are capped.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_SUBJECT_LENGTH = 4096;

export type RegexCheck = { ok: true; regex: RegExp } | { ok: false; reason: string };

export function compileSafeRegex(pattern: string): RegexCheck {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: `regular expression longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return { ok: false, reason: `invalid regular expression: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (hasNestedQuantifier(pattern)) {
    return { ok: false, reason: 'regular expression repeats a group that itself repeats (e.g. (a+)+), which can hang routing' };
  }
  return { ok: true, regex };
}

export function testCapped(regex: RegExp, subject: string): boolean {
  return regex.test(subject.length > MAX_SUBJECT_LENGTH ? subject.slice(0, MAX_SUBJECT_LENGTH) : subject);
}

function hasNestedQuantifier(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: does it contain a quantifier?
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') groups.push(false);
    else if (ch === ')') {
      const repeatsInside = groups.pop() ?? false;
      const repeated = isUnboundedQuantifier(pattern, i + 1);
      if (repeatsInside && repeated) return true;
      if (groups.length > 0 && (repeatsInside || repeated)) groups[groups.length - 1] = true;
    } else if (isUnboundedQuantifier(pattern, i) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** `*`, `+` or `{n,}` / `{n,m}` at `index`; `?` is bounded and cannot blow up on its own. */
function isUnboundedQuantifier(pattern: string, index: number): boolean {
  const ch = pattern[index];
  if (ch === '*' || ch === '+') return true;
  return ch === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(index));
}
