/**
 * One line of an import body as a member's user id. text/plain: the line is the id (surrounding
 * spaces ignored). application/x-ndjson: the line is a JSON string, or an object with a string
 * `user_id` (other fields ignored, so an export of user records can be fed in as it is). Blank lines
 * are skipped in both.
 */
import { isPlainObject } from '../preferences/field-problems';
import { userIdProblem } from './audience-names';

export const IMPORT_FORMATS = { 'text/plain': 'text', 'application/x-ndjson': 'ndjson' } as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[keyof typeof IMPORT_FORMATS];

export type MemberLine = { kind: 'blank' } | { kind: 'member'; userId: string } | { kind: 'invalid'; reason: string };

/** The format of a Content-Type header value (parameters such as charset ignored), or null for any other type. */
export function importFormat(contentType: string | undefined): ImportFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(IMPORT_FORMATS, type) ? IMPORT_FORMATS[type as keyof typeof IMPORT_FORMATS] : null;
}

export function parseMemberLine(text: string, format: ImportFormat): MemberLine {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'blank' };
  if (format === 'text') return member(trimmed);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: 'invalid', reason: 'is not JSON' };
  }
  if (typeof value === 'string') return member(value);
  if (isPlainObject(value) && typeof value.user_id === 'string') return member(value.user_id);
  return { kind: 'invalid', reason: 'is neither a JSON string nor an object with a string user_id' };
}

function member(userId: string): MemberLine {
  const problem = userIdProblem(userId);
  return problem === null ? { kind: 'member', userId } : { kind: 'invalid', reason: `user id ${problem}` };
}
