/**
 * Reads a preferences document back from jsonb. Only this API writes the column, after validation,
 * so a value that does not fit means the table was edited by hand: fail loudly rather than publish it.
 */
import { isPlainObject } from './field-problems';
import type { PreferencesDocument } from './preferences-document';
import { validatePreferences } from './validate-preferences';

export function decodePreferencesDocument(stored: unknown): PreferencesDocument {
  const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  if (!isPlainObject(parsed)) throw new Error('stored preferences are not a JSON object');
  const validation = validatePreferences(parsed);
  if (!validation.ok)
    throw new Error(`stored preferences are invalid: ${validation.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  return validation.value;
}
