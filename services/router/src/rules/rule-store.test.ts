import { mkdtempSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleBook } from './rule-book';
import { RuleStore, type RuleStoreLogger } from './rule-store';
import { testEvent } from './test-event';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

function recordingLog(): RuleStoreLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

function fillRule(channels: string): string {
  return `tenant: acme\nrules:\n  - name: Fill\n    event_type: ORDER_FILLED\n    actions:\n      - channels: [${channels}]\n`;
}

const BROKEN = 'tenant: acme\nrules:\n  - name: Fill\n    event_type: ORDER_FILLED\n    actions:\n      - channels: [carrier_pigeon]\n';

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fill = testEvent({ tenant: 'acme', type: 'ORDER_FILLED' });

describe('RuleStore', () => {
  let dir: string;
  let store: RuleStore | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rules-'));
  });

  afterEach(() => {
    store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every yaml file in a directory and ignores other files', () => {
    writeFileSync(join(dir, 'acme.yaml'), fillRule('inapp'));
    writeFileSync(join(dir, 'default.yml'), 'rules:\n  - { name: Any, event_type: "*", actions: [{ channels: [webhook] }] }\n');
    writeFileSync(join(dir, 'notes.txt'), 'not rules: [');
    writeFileSync(join(dir, '.hidden.yaml'), 'not rules: [');
    store = new RuleStore({ path: dir, log: recordingLog() });
    const book = store.start();
    expect(book.tenants()).toEqual(['acme', 'default']);
    expect(store.route(fill)).toMatchObject({ rule: 'Fill', channels: ['inapp'] });
    expect(store.route(testEvent({ tenant: 'globex' }))).toMatchObject({ rule: 'Any' });
    expect(store.lastError()).toBeNull();
  });

  it('reloads a changed file, and keeps the previous rules when the new version is broken', async () => {
    const file = join(dir, 'acme.yaml');
    writeFileSync(file, fillRule('inapp'));
    const log = recordingLog();
    const reloads: RuleBook[] = [];
    store = new RuleStore({ path: dir, log, pollIntervalMs: 50, onReload: (book) => reloads.push(book) });
    store.start();
    const running = store;
    expect(running.route(fill)?.channels).toEqual(['inapp']);

    writeFileSync(file, fillRule('inapp, webhook'));
    await waitFor(() => running.route(fill)?.channels.includes('webhook') === true);
    expect(reloads.length).toBeGreaterThanOrEqual(1);
    expect(reloads.at(-1)).toBe(running.current());

    writeFileSync(file, BROKEN);
    await waitFor(() => running.lastError() !== null);
    expect(running.route(fill)?.channels).toEqual(['inapp', 'webhook']);
    expect(running.lastError()).toMatchObject({ file, line: 6 });
    expect(running.lastError()?.message).toMatch(new RegExp(`^${file}:6: .*unknown channel "carrier_pigeon"`));
    expect(running.errors()).toHaveLength(1);
    expect(log.lines.some((line) => line.level === 'error' && line.msg.includes('previous rules stay in force'))).toBe(true);

    writeFileSync(file, fillRule('sms'));
    await waitFor(() => running.route(fill)?.channels[0] === 'sms');
    expect(running.lastError()).toBeNull();
    expect(running.errors()).toEqual([]);
  });

  it('falls back to the default rules for a tenant whose only file never loaded, and reports it', () => {
    writeFileSync(join(dir, 'acme.yaml'), BROKEN);
    const log = recordingLog();
    store = new RuleStore({ path: dir, log });
    store.start();
    expect(store.current().tenants()).toEqual([]);
    expect(store.route(fill)).toMatchObject({ rule: null, channels: ['inapp', 'email', 'discord'] });
    expect(store.lastError()).toMatchObject({ file: join(dir, 'acme.yaml'), line: 6 });
    expect(log.lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('drops the rules of a deleted file', async () => {
    writeFileSync(join(dir, 'acme.yaml'), fillRule('inapp'));
    store = new RuleStore({ path: dir, log: recordingLog(), pollIntervalMs: 50 });
    store.start();
    const running = store;
    rmSync(join(dir, 'acme.yaml'));
    await waitFor(() => running.route(fill)?.rule === null);
    expect(running.current().tenants()).toEqual([]);
  });

  it('follows a Kubernetes ConfigMap update (the ..data symlink swap)', async () => {
    const publish = (version: string, text: string): void => {
      mkdirSync(join(dir, version));
      writeFileSync(join(dir, version, 'acme.yaml'), text);
      symlinkSync(version, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    };
    publish('..2024_01_01_v1', fillRule('inapp'));
    symlinkSync(join('..data', 'acme.yaml'), join(dir, 'acme.yaml'));
    store = new RuleStore({ path: dir, log: recordingLog(), pollIntervalMs: 50 });
    store.start();
    const running = store;
    expect(running.current().tenants()).toEqual(['acme']);
    expect(running.route(fill)?.channels).toEqual(['inapp']);

    publish('..2024_01_01_v2', fillRule('webhook'));
    await waitFor(() => running.route(fill)?.channels[0] === 'webhook');
  });

  it('reacts to file events without waiting for the poll', async () => {
    const file = join(dir, 'acme.yaml');
    writeFileSync(file, fillRule('inapp'));
    store = new RuleStore({ path: dir, log: recordingLog(), pollIntervalMs: 600_000, watchDebounceMs: 20 });
    store.start();
    const running = store;
    writeFileSync(file, fillRule('push'));
    await waitFor(() => running.route(fill)?.channels[0] === 'push', 3000);
  });

  it('accepts a single file path', async () => {
    const file = join(dir, 'rules.yml');
    writeFileSync(file, fillRule('inapp'));
    store = new RuleStore({ path: file, log: recordingLog(), pollIntervalMs: 50 });
    store.start();
    const running = store;
    writeFileSync(file, fillRule('slack'));
    await waitFor(() => running.route(fill)?.channels[0] === 'slack');
  });

  it('refuses to start on a path that does not exist', () => {
    store = new RuleStore({ path: join(dir, 'missing'), log: recordingLog() });
    const starting = store;
    expect(() => starting.start()).toThrow(/ENOENT/);
  });

  it('reports a tenant claimed by two files and keeps the first', () => {
    writeFileSync(join(dir, 'a.yaml'), fillRule('inapp'));
    writeFileSync(join(dir, 'b.yaml'), `# copy\n${fillRule('sms')}`);
    store = new RuleStore({ path: dir, log: recordingLog() });
    store.start();
    expect(store.route(fill)?.channels).toEqual(['inapp']);
    expect(store.lastError()).toMatchObject({ file: join(dir, 'b.yaml'), line: 2 });
  });

  it('stops reloading once closed', async () => {
    const file = join(dir, 'acme.yaml');
    writeFileSync(file, fillRule('inapp'));
    const reloads: RuleBook[] = [];
    store = new RuleStore({
      path: dir,
      log: recordingLog(),
      pollIntervalMs: 20,
      watchDebounceMs: 5,
      onReload: (book) => reloads.push(book),
    });
    store.start();
    store.close();
    writeFileSync(file, fillRule('sms'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reloads).toEqual([]);
    expect(store.route(fill)?.channels).toEqual(['inapp']);
    expect(store.refresh()).toBe(false);
  });
});
