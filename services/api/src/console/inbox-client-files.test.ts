import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_COMMAND, inboxClientDist } from './inbox-client-files';

describe('inboxClientDist', () => {
  let dir: string;
  const write = (path: string, at: number) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), '');
    utimesSync(join(dir, path), at, at);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inbox-client-'));
    write('package.json', 1000);
    write('src/inbox-client.ts', 1000);
    write('src/live-connection.test.ts', 5000);
    write('src/service-worker/service-worker.ts', 1000);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the dist directory of a build newer than every source file (tests aside)', () => {
    write('dist/inbox-client.js', 2000);
    write('dist/service-worker.js', 2000);
    expect(inboxClientDist(join(dir, 'package.json'))).toBe(join(dir, 'dist'));
  });

  it('names the build command when the build is missing', () => {
    write('dist/inbox-client.js', 2000);
    expect(() => inboxClientDist(join(dir, 'package.json'))).toThrow(
      `service-worker.js missing in ${join(dir, 'dist')}): run \`${BUILD_COMMAND}\``,
    );
  });

  it('names the build command when a source changed after the build', () => {
    write('dist/inbox-client.js', 2000);
    write('dist/service-worker.js', 2000);
    write('src/service-worker/service-worker.ts', 3000);
    expect(() => inboxClientDist(join(dir, 'package.json'))).toThrow(`is older than its source: run \`${BUILD_COMMAND}\``);
  });

  it('finds the workspace package', () => {
    expect(() => inboxClientDist()).not.toThrow(/Cannot find module/);
  });
});
