/**
 * A production install of one service, made the way the Dockerfile's runtime stage makes it: the
 * workspace manifests and the lockfile, `npm ci --omit=dev` for the service's workspace, then the
 * runtime files of the service and its @notify/* libraries (scripts/src/runtime-files.ts, which the
 * image's build stage runs too). The service must start from it as `node services/<name>/dist/main.js`
 * against the real stack and report ready, with no TypeScript toolchain anywhere in the install.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { copyRuntimeFiles, workspaceDirs } from '../../scripts/src/runtime-files';
import { REPO_ROOT } from '../support/repo';
import { startNodeProcess, type ServiceProcess } from '../support/services';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const run = promisify(execFile);
const SERVICE = 'tracker';
const WORKSPACE = `services/${SERVICE}`;
/** Development tools that must not reach a production install (@types/node may: protobufjs depends on it). */
const DEV_ONLY = ['jest', 'typescript', 'tsx', 'turbo', '@swc/core', '@swc/jest', '@types/jest'];

/** The environment without the `development` condition .npmrc gives everything under npm: production has none. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _development, ...env } = process.env;
  return { ...env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...extra };
}

describe(`a production install of ${SERVICE}`, () => {
  let scratch: string;
  const namespace = `prod-${randomUUID().slice(0, 8)}.`;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    // Only this service and what it depends on; turbo's cache makes a repeated run cheap.
    await run('npx', ['turbo', 'run', 'build', `--filter=@notify/${SERVICE}...`, '--output-logs=errors-only'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      timeout: 240_000,
    });
    scratch = mkdtempSync(join(tmpdir(), 'notify-prod-install-'));
    for (const file of ['package.json', 'package-lock.json', ...workspaceDirs(REPO_ROOT).map((d) => `${d}/package.json`)]) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      copyFileSync(join(REPO_ROOT, file), join(scratch, file));
    }
    // From the npm cache the main install filled; the network only for what it lacks.
    await run('npm', ['ci', '--omit=dev', `--workspace=${WORKSPACE}`, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: scratch,
      env: productionEnv({}),
      timeout: 120_000,
    });
    copyRuntimeFiles(REPO_ROOT, [WORKSPACE], scratch);
    await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  });

  afterAll(async () => {
    await service?.stop();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('holds compiled JavaScript and production dependencies only', () => {
    expect(DEV_ONLY.filter((name) => existsSync(join(scratch, 'node_modules', name)))).toEqual([]);
    expect(existsSync(join(scratch, 'node_modules', 'kafkajs'))).toBe(true);
    expect(existsSync(join(scratch, WORKSPACE, 'dist', 'main.js'))).toBe(true);
    const sources = readdirSync(scratch, { recursive: true, encoding: 'utf8' }).filter(
      (path) => !path.startsWith('node_modules') && path.endsWith('.ts') && !path.endsWith('.d.ts'),
    );
    expect(sources).toEqual([]);
  });

  test('starts as node services/<name>/dist/main.js and reports ready', async () => {
    service = await startNodeProcess(SERVICE, [`${WORKSPACE}/dist/main.js`], scratch, productionEnv({ KAFKA_NAMESPACE: namespace }));
    const health = await fetch(`http://127.0.0.1:${service.opsPort}/health/ready`);
    expect(health.status).toBe(200);
    // Its stop handler is installed once start-up has finished, which it logs; a SIGTERM before
    // that (the ops server answers ready a moment earlier) would end it without a graceful stop.
    const running = service;
    await waitFor(
      'the start-up log line',
      () => (running.output.join('').includes(`"msg":"${SERVICE} ready"`) ? true : undefined),
      10_000,
      100,
    );
    expect(await service.stop()).toBe(0);
  });

  test('resolves the @notify/* libraries to their compiled code inside the install', async () => {
    const { stdout } = await run(process.execPath, ['-p', "require.resolve('@notify/db')"], {
      cwd: join(scratch, WORKSPACE),
      env: productionEnv({}),
    });
    expect(stdout.trim()).toBe(join(realpathSync(scratch), 'services', 'lib', 'db', 'dist', 'index.js'));
  });
});
