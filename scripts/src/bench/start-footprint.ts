/**
 * Start time and memory of every service, run from TypeScript through tsx and from the compiled
 * dist/: `npm run bench:start` (builds first; `-- --services tracker,api` for a subset).
 *
 * Each service starts alone against the local stack, in a Kafka namespace of the bench's own, with
 * sandbox providers. *Up* is the time from spawn to the first 200 from /health (code loaded, ops
 * server listening: what compiling costs), *ready* to the first 200 from /health/ready (its consumer
 * groups joined as well: mostly Kafka's time); *RSS* is the resident memory of the process (VmRSS)
 * one second after ready. Three ways to start:
 * - `tsx, cold`: `node --import tsx src/main.ts` with tsx's compile cache off, as a new pod (empty
 *   /tmp) started it before the build existed;
 * - `tsx, warm`: the same with the cache a previous start left, as on a developer's machine;
 * - `dist`: `node dist/main.js`, the @notify/* libraries resolved to their compiled code.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../tests/support/ports';
import { REPO_ROOT } from '../../../tests/support/repo';
import { SOURCE_NODE_ARGS } from '../../../tests/support/services';
import { TEST_PERSONAL_DATA_ENV } from '../../../tests/support/test-keys';
import { dropNamespace, provision } from '../provision';
import { SERVICES } from '../services';

type Mode = 'tsx, cold' | 'tsx, warm' | 'dist';
const MODES: readonly Mode[] = ['tsx, cold', 'tsx, warm', 'dist'];

/** Settings a service needs to start with nothing real behind it: sandbox providers, loopback ports. */
function settingsOf(service: string): Record<string, string> {
  const secret = () => randomBytes(32).toString('base64url');
  switch (service) {
    case 'ingest':
      return { HTTP_PORT: '0', INGEST_API_KEYS: 'default:bench-key' };
    case 'router':
      return { RULES_PATH: join(REPO_ROOT, 'services', 'router', 'rules.example.yaml') };
    case 'api':
      return {
        HTTP_PORT: '0',
        JWT_SECRET: secret(),
        CODE_HASH_SECRET: secret(),
        SEALING_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        UNSUBSCRIBE_SECRET: secret(),
        API_INSTANCE_ID: 'bench-start',
      };
    case 'channel-email':
      return { EMAIL_PROVIDER: 'sandbox', UNSUBSCRIBE_BASE_URL: 'http://127.0.0.1:1/v1/unsubscribe', UNSUBSCRIBE_SECRET: secret() };
    default:
      return service.startsWith('channel-') && service !== 'channel-inapp'
        ? { [`${service.slice('channel-'.length).toUpperCase()}_PROVIDER`]: 'sandbox' }
        : {};
  }
}

function argsOf(service: string, mode: Mode): string[] {
  return mode === 'dist'
    ? [join(REPO_ROOT, 'services', service, 'dist', 'main.js')]
    : [...SOURCE_NODE_ARGS, join(REPO_ROOT, 'services', service, 'src', 'main.ts')];
}

function rssMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

interface Footprint {
  upMs: number;
  readyMs: number;
  rssMiB: number;
}

const answers = (url: string): Promise<boolean> =>
  fetch(url).then(
    (r) => r.ok,
    () => false,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(service: string, mode: Mode, namespace: string): Promise<Footprint> {
  const opsPort = await freePort();
  // The compiled code runs as production does: no `development` condition from npm's NODE_OPTIONS.
  const { NODE_OPTIONS: _development, ...env } = process.env;
  const started = performance.now();
  // node itself, not a wrapper, so the pid whose memory is read is the service's.
  const child = spawn(process.execPath, argsOf(service, mode), {
    cwd: REPO_ROOT,
    env: {
      ...TEST_PERSONAL_DATA_ENV,
      ...env,
      LOG_LEVEL: 'warn',
      KAFKA_NAMESPACE: namespace,
      ...(mode === 'tsx, cold' ? { TSX_DISABLE_CACHE: '1' } : {}),
      ...settingsOf(service),
      OPS_PORT: String(opsPort),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let upMs: number | undefined;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr.join('').slice(-300)}`);
      if (performance.now() - started > 120_000) throw new Error('not ready within 120 s');
      const base = `http://127.0.0.1:${opsPort}`;
      if (upMs === undefined && (await answers(`${base}/health`))) upMs = performance.now() - started;
      if (upMs !== undefined && (await answers(`${base}/health/ready`))) break;
      await sleep(25);
    }
    const readyMs = performance.now() - started;
    await sleep(1000);
    if (child.pid === undefined) throw new Error('no pid');
    return { upMs: Math.round(upMs), readyMs: Math.round(readyMs), rssMiB: rssMiB(child.pid) };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--services');
  const services = only >= 0 ? (process.argv[only + 1] ?? '').split(',') : [...SERVICES];
  const namespace = `bench-start-${randomBytes(4).toString('hex')}.`;
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  const rows: string[] = [];
  try {
    for (const service of services) {
      const cells: string[] = [];
      // An unmeasured start fills tsx's compile cache for the warm measurement (cold ones bypass it).
      await measure(service, 'tsx, warm', namespace).catch(() => undefined);
      for (const mode of MODES) {
        // One service that does not start (a half-done change, a missing build) leaves a gap, not an empty table.
        const result = await measure(service, mode, namespace).catch((error: unknown) => {
          console.error(`${service} (${mode}) did not start: ${String(error).split('\n')[0]}`);
          return undefined;
        });
        const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        cells.push(...(result ? [seconds(result.upMs), seconds(result.readyMs), `${result.rssMiB} MiB`] : ['n/a', 'n/a', 'n/a']));
      }
      const row = `| ${service} | ${cells.join(' | ')} |`;
      console.log(row);
      rows.push(row);
    }
  } finally {
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
  }
  console.log(
    `\n| service | ${MODES.map((m) => `up (${m}) | ready (${m}) | RSS (${m})`).join(' | ')} |\n|---|${MODES.map(() => '---:|---:|---:').join('|')}|\n${rows.join('\n')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
