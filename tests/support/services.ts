/**
 * Runs pipeline services as real child processes through their main.ts, as deployed but from source,
 * and stops them with SIGTERM (their graceful path) at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports';
import { REPO_ROOT } from './repo';
import { TEST_PERSONAL_DATA_ENV } from './test-keys';
import { waitFor } from './wait';

export interface ServiceProcess {
  name: string;
  opsPort: number;
  output: string[];
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Node flags that run a service from its TypeScript source: tsx compiles it, and the `development`
 * condition resolves the @notify/* packages to their source too rather than to a build in dist/.
 */
export const SOURCE_NODE_ARGS: readonly string[] = ['--conditions=development', '--import', 'tsx'];

export async function startService(name: string, env: Record<string, string>): Promise<ServiceProcess> {
  const entry = join(REPO_ROOT, 'services', name, 'src', 'main.ts');
  return startNodeProcess(name, [...SOURCE_NODE_ARGS, entry], REPO_ROOT, {
    ...TEST_PERSONAL_DATA_ENV,
    ...process.env,
    LOG_LEVEL: 'info',
    ...env,
  });
}

/**
 * Starts `node <args>` in `cwd` with exactly `env` (plus a free OPS_PORT) and resolves once its ops
 * server answers /health/ready with 200.
 */
export async function startNodeProcess(
  name: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ServiceProcess> {
  const opsPort = await freePort();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...env, OPS_PORT: String(opsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: ServiceProcess = {
    name,
    opsPort,
    output,
    process: child,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  // A child that exits during start-up fails the wait at once instead of at the timeout.
  const died = exited.then((code) => {
    throw new Error(`${name} exited with ${code} during start-up`);
  });
  const ready = waitFor(
    `${name} to be ready`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${opsPort}/health/ready`).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    60_000,
    200,
  );
  died.catch(() => undefined);
  await Promise.race([ready, died]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n--- ${name} output ---\n${output.join('').slice(-3000)}`);
  });
  return service;
}

export async function stopAll(services: ServiceProcess[]): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}

/**
 * Starts several services in parallel. When one fails, the ones that did start are stopped before
 * the error is rethrown, so a failed start never leaves processes behind.
 */
export async function startServices(names: readonly string[], env: Record<string, string>): Promise<ServiceProcess[]> {
  const started = await Promise.allSettled(names.map((name) => startService(name, env)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stopAll(running);
    throw failed.reason;
  }
  return running;
}
