import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Runs the slow-start fixture, signals it once it says `starting`, and collects what it printed and how it exited. */
function signalDuringStart(signal: NodeJS.Signals): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', join(__dirname, 'fixtures', 'slow-start.ts')], {
    env: { ...process.env, START_MS: '1500' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('starting') && !child.killed) child.kill(signal);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('runMain', () => {
  it('stops gracefully on SIGTERM that arrives while main() is still starting', async () => {
    const { code, out } = await signalDuringStart('SIGTERM');
    expect({ code, lines: out.split('\n').filter(Boolean) }).toEqual({ code: 0, lines: ['starting', 'started', 'stopped'] });
  }, 20_000);
});
