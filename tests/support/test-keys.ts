/**
 * The personal-data keys of a test run (DATA_KEYS, BLIND_INDEX_KEY), fixed so that rows a run writes
 * into a shared database stay readable by the next. They protect nothing: tests only.
 */
import { createHash } from 'node:crypto';

const fixed = (label: string) => createHash('sha256').update(`notify tests: ${label}`).digest();

export const TEST_PERSONAL_DATA_ENV = {
  DATA_KEYS: `test:${fixed('data key').toString('base64')}`,
  BLIND_INDEX_KEY: fixed('blind index key').toString('base64url'),
} as const;

/** Sets the test keys where the caller set none; child processes and test workers inherit them. */
export function useTestPersonalDataKeys(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(TEST_PERSONAL_DATA_ENV)) env[name] ??= value;
}
