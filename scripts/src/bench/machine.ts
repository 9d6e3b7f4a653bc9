/**
 * What the figures were measured on: they mean little without the box, the stack's versions, and
 * whether anything else (a test run) was competing for the same cores.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, STACK_SCRIPT } from '../../../tests/support/repo';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kafka: string;
  brokers: string;
  registry: string;
  postgres: string;
  loadAverage1m: number;
  /** The code measured: HEAD and how many files differed from it (others edit the tree concurrently). */
  git: { commit: string; changedFiles: number };
  /** Pipeline services or jest runs not started by this bench, which would share the cores. */
  foreignProcesses: string[];
}

function stackVersion(variable: string): string {
  try {
    return new RegExp(`^${variable}=(\\S+)`, 'm').exec(readFileSync(STACK_SCRIPT, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function postgresVersion(databaseUrl: string): string {
  try {
    return execFileSync('psql', [databaseUrl, '-Atc', 'show server_version'], {
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

function gitState(): { commit: string; changedFiles: number } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return { commit: git('rev-parse', 'HEAD').trim(), changedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return { commit: 'unknown', changedFiles: -1 };
  }
}

function foreignProcesses(): string[] {
  const found: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found;
  }
  for (const pid of entries) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', pid, 'cmdline'), 'utf8')
        .replace(/\0/g, ' ')
        .trim();
      if (/services\/[\w-]+\/src\/main\.ts|jest/.test(cmdline)) found.push(`${pid} ${cmdline.slice(0, 120)}`);
    } catch {
      // gone already
    }
  }
  return found;
}

export function describeMachine(databaseUrl: string, brokers: string[]): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kafka: `Kafka ${stackVersion('KAFKA_VERSION')}, single node (KRaft), replication 1`,
    brokers: brokers.join(','),
    registry: `Apicurio Registry ${stackVersion('REGISTRY_VERSION')} (in-memory)`,
    postgres: `PostgreSQL ${postgresVersion(databaseUrl)}`,
    git: gitState(),
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    foreignProcesses: foreignProcesses(),
  };
}
