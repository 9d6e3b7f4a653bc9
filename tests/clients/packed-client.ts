/**
 * Installs @notify/client the way a user does: packed with `npm pack` (its prepack builds dist/) and
 * installed from the tarball into a scratch project outside the workspace, with the kafkajs and
 * registry versions the repository uses. Scripts then run there with plain node.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/repo';

const run = promisify(execFile);
export const CLIENT_DIR = join(REPO_ROOT, 'clients', 'typescript');

export interface ScratchProject {
  dir: string;
  /** Runs an ES module in the project and returns its standard output; throws with its stderr if it fails. */
  node(source: string, env?: Record<string, string>): Promise<string>;
  remove(): void;
}

export async function installPackedClient(): Promise<ScratchProject> {
  const dir = mkdtempSync(join(tmpdir(), 'notify-client-user-'));
  const { stdout } = await run('npm', ['pack', CLIENT_DIR, '--pack-destination', dir, '--json', '--silent'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed no file: ${stdout}`);
  const dev = (JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'notify-client-user', private: true }));
  await run(
    'npm',
    [
      'install',
      join(dir, packed.filename),
      `kafkajs@${dev.kafkajs}`,
      `@kafkajs/confluent-schema-registry@${dev['@kafkajs/confluent-schema-registry']}`,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--silent',
    ],
    { cwd: dir },
  );
  let scripts = 0;
  return {
    dir,
    node: async (source, env = {}) => {
      const file = join(dir, `script-${++scripts}.mjs`);
      writeFileSync(file, source);
      try {
        return (await run(process.execPath, [file], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 })).stdout;
      } catch (error) {
        const failed = error as Error & { stdout?: string; stderr?: string };
        throw new Error(
          `${file} failed: ${failed.message}\n--- stdout ---\n${failed.stdout ?? ''}\n--- stderr ---\n${failed.stderr ?? ''}`,
        );
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
