import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyRuntimeFiles, runtimeClosure } from './runtime-files';

describe('runtime files', () => {
  let root: string;
  let dest: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const manifest = (dir: string, body: object) => write(`${dir}/package.json`, JSON.stringify(body));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'runtime-files-'));
    dest = mkdtempSync(join(tmpdir(), 'runtime-files-dest-'));
    manifest('.', { name: 'root', workspaces: ['libs/*', 'apps/*', 'tests'] });
    manifest('libs/base', { name: '@x/base', files: ['dist', 'assets'] });
    manifest('libs/mid', { name: '@x/mid', files: ['dist'], dependencies: { '@x/base': '*', leftpad: '1' } });
    manifest('libs/unused', { name: '@x/unused', files: ['dist'] });
    manifest('apps/app', { name: '@x/app', files: ['dist'], dependencies: { '@x/mid': '*' }, devDependencies: { '@x/unused': '*' } });
    manifest('tests', { name: '@x/tests', dependencies: { '@x/app': '*' } });
    for (const dir of ['libs/base', 'libs/mid', 'libs/unused', 'apps/app']) write(`${dir}/dist/index.js`, 'module.exports = {};');
    write('libs/base/assets/a.avsc', '{}');
    write('libs/base/src/index.ts', 'export {};');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(dest, { recursive: true, force: true });
  });

  test('a workspace needs itself and the workspaces its runtime dependencies name, transitively', () => {
    expect(runtimeClosure(root, ['apps/app'])).toEqual(['apps/app', 'libs/base', 'libs/mid']);
  });

  test('copies only what each package lists in files, at the same paths', () => {
    copyRuntimeFiles(root, ['apps/app'], dest);
    expect(readdirSync(join(dest, 'libs', 'base')).sort()).toEqual(['assets', 'dist']);
    expect(readdirSync(join(dest, 'libs'))).not.toContain('unused');
    expect(readdirSync(join(dest, 'apps', 'app'))).toEqual(['dist']);
  });

  test('refuses a package without files, or one whose files are not built', () => {
    expect(() => copyRuntimeFiles(root, ['tests'], dest)).toThrow(/tests\/package.json \(@x\/tests\) lists no runtime "files"/);
    rmSync(join(root, 'libs', 'mid', 'dist'), { recursive: true });
    expect(() => copyRuntimeFiles(root, ['apps/app'], dest)).toThrow(/libs\/mid\/dist is missing/);
  });
});
