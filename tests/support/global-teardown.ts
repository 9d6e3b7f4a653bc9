/** Drops the run's own database and stops the stack if global setup started it: a run leaves nothing running. */
import { execFileSync } from 'node:child_process';
import { STACK_SCRIPT } from './repo';
import { dropTestDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  if (process.env.SKIP_STACK === '1') return;
  if (process.env.NOTIFY_TESTS_OWN_DATABASE === '1' && process.env.DATABASE_URL) {
    await dropTestDatabase(process.env.DATABASE_URL);
  }
  if (process.env.NOTIFY_TESTS_STARTED_STACK === '1' && process.env.KEEP_STACK !== '1') {
    execFileSync('bash', [STACK_SCRIPT, 'down'], { stdio: 'inherit' });
  }
}
