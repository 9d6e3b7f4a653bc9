/**
 * Brings up the local stack (real Kafka, registry, Postgres) unless the environment points at existing
 * servers, provisions topics and schemas, and gives the run a fresh database of its own (unless
 * DATABASE_URL was set by the caller). What it started is recorded in the environment so teardown
 * stops only that. SKIP_STACK=1 skips all of it for pure unit runs.
 */
import { execFileSync } from 'node:child_process';
import { provision } from '../../scripts/src/provision';
import { stackEnv } from '../../scripts/src/stack-env';
import { STACK_SCRIPT } from './repo';
import { useTestPersonalDataKeys } from './test-keys';
import { createTestDatabase } from './test-database';

function stackRunning(): boolean {
  try {
    // status exits 0 only when Kafka, the registry and Postgres all answer.
    execFileSync('bash', [STACK_SCRIPT, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  useTestPersonalDataKeys(process.env);
  if (process.env.SKIP_STACK === '1') return;
  const external = Boolean(process.env.KAFKA_BROKERS && process.env.SCHEMA_REGISTRY_URL && process.env.DATABASE_URL);
  if (!external) {
    const wasRunning = stackRunning();
    execFileSync('bash', [STACK_SCRIPT, 'up'], { stdio: 'inherit' });
    if (!wasRunning) process.env.NOTIFY_TESTS_STARTED_STACK = '1';
  }
  await provision(process.env);
  if (!process.env.DATABASE_URL || process.env.NOTIFY_TESTS_OWN_DATABASE === '1') {
    // Child processes and test workers inherit this.
    process.env.DATABASE_URL = await createTestDatabase(stackEnv(process.env).databaseUrl);
    process.env.NOTIFY_TESTS_OWN_DATABASE = '1';
  }
}
