/**
 * The Python client (clients/python) run by the machine's python3 against a running pipeline: its
 * README example (sync and asyncio) as written, retries after lost answers that stay one event, and
 * `pip install` of the package into a fresh virtualenv with no package index.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeliveryStatus, Event } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { REPO_ROOT } from '../support/repo';
import { inappWebhookRules, MARGIN_CALL_RULE, ORDER_FILLED_RULE } from '../support/seed';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { delivered, statusesOf } from './delivery';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';
import { fencedBlock } from './readme-example';

jest.setTimeout(240_000);

const run = promisify(execFile);
const CLIENT_DIR = join(REPO_ROOT, 'clients', 'python');
const TENANT = `pyclient${randomUUID().slice(0, 8)}`;
const { brokers, registryUrl } = stackEnv(process.env);

describe('the Python client', () => {
  let pipeline: Pipeline;
  let proxy: FlakyProxy;
  let statuses: TopicReader<DeliveryStatus>;
  let events: TopicReader<Event>;
  const scratch = mkdtempSync(join(tmpdir(), 'notify-python-user-'));

  /** Runs a script with `python` (the machine's python3, importing the client from its source unless `fromSource` is false). */
  async function python(
    source: string,
    env: Record<string, string> = {},
    options: { python?: string; fromSource?: boolean } = {},
  ): Promise<string> {
    const file = join(scratch, `script-${randomUUID().slice(0, 8)}.py`);
    writeFileSync(file, source);
    const path = options.fromSource === false ? {} : { PYTHONPATH: join(CLIENT_DIR, 'src') };
    try {
      const { stdout } = await run(options.python ?? 'python3', [file], {
        cwd: scratch,
        timeout: 120_000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...path, ...env },
      });
      return stdout;
    } catch (error) {
      const failed = error as Error & { stdout?: string; stderr?: string };
      throw new Error(`${file} failed: ${failed.message}\n--- stdout ---\n${failed.stdout ?? ''}\n--- stderr ---\n${failed.stderr ?? ''}`);
    }
  }

  /** Publishes one seed 001 order fill for `user` through the proxy with the sync or asyncio client and prints the outcome as JSON. */
  const publishScript = (user: string, form: 'sync' | 'async') => `
import asyncio, json, os
from notify_client import AsyncNotificationClient, NotificationClient

fields = dict(event_type="ORDER_FILLED", producer="trading-system", severity="medium", dedupe_key="order-${user}",
              payload={"user_id": "${user}", "order_id": "order-${user}", "symbol": "AAPL", "quantity": 100, "price": 150.25})
options = dict(retries=3, base_delay=0.05, timeout=5.0)
if "${form}" == "sync":
    result = NotificationClient(os.environ["BASE_URL"], os.environ["API_KEY"], **options).publish_event(**fields)
else:
    result = asyncio.run(AsyncNotificationClient(os.environ["BASE_URL"], os.environ["API_KEY"], **options).publish_event(**fields))
print(json.dumps({"event_id": result.event_id}))
`;

  beforeAll(async () => {
    pipeline = await startPipeline({ tenant: TENANT, rulesYaml: inappWebhookRules(TENANT, [ORDER_FILLED_RULE, MARGIN_CALL_RULE]) });
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, pipeline.topic('notifications.delivery-status'));
    events = await readTopic<Event>(brokers, registryUrl, pipeline.topic('notifications.events'));
    proxy = await startFlakyProxy(pipeline.httpUrl);
  });

  afterAll(async () => {
    await proxy?.close();
    await statuses?.close();
    await events?.close();
    await pipeline?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('passes its own unit tests (retry rules, both clients against a scripted server)', async () => {
    const { stderr } = await run('python3', ['-m', 'unittest', 'discover', '-s', join(CLIENT_DIR, 'tests')], {
      cwd: scratch,
      env: { ...process.env, PYTHONPATH: join(CLIENT_DIR, 'src'), PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(stderr).toMatch(/^OK$/m);
  });

  it('runs the README example: sync, batch and asyncio events delivered, the invalid ones refused with their fields', async () => {
    const out = await python(fencedBlock(join(CLIENT_DIR, 'README.md'), 'Example', 'python'), {
      NOTIFY_URL: pipeline.httpUrl,
      NOTIFY_API_KEY: pipeline.apiKey,
    });
    const published = [...out.matchAll(/^published (\S+)$/gm)].map((m) => m[1] as string);
    const batch = /^batch accepted (\S+) rejected \[\(1, 'producer'\)\]$/m.exec(out);
    expect(published).toHaveLength(2);
    expect(batch).not.toBeNull();
    expect(out).toMatch(/^refused 400 invalid_event type: must be .*; severity: unknown severity "apocalyptic"$/m);
    for (const id of [...published, batch?.[1] as string]) await delivered(statuses, id);
    const margin = events.records.find((r) => r.value.event_id === published[1]);
    expect(margin?.key).toBe('margin_call_user123_20240115');
    expect(margin?.value.severity).toBe('critical');
  });

  it.each([
    ['sync', 'drop-answer'],
    ['async', 'gateway-timeout'],
  ] as const)('makes one event of a %s publish whose first answer was lost (%s)', async (form, step) => {
    proxy.requests.length = 0;
    proxy.plan(step);
    const { event_id } = JSON.parse(
      await python(publishScript(`${form}-lost`, form), { BASE_URL: proxy.url, API_KEY: pipeline.apiKey }),
    ) as { event_id: string };
    expect(proxy.requests.map((r) => r.upstreamStatus)).toEqual([202, 202]);
    expect(new Set(proxy.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(proxy.requests.map((r) => r.body)).size).toBe(1);
    await delivered(statuses, event_id);
    expect(events.records.filter((r) => r.value.event_id === event_id)).toHaveLength(1);
    expect(statusesOf(statuses, event_id).filter((s) => s.status === 'accepted')).toHaveLength(1);
  });

  it('installs with pip into a fresh virtualenv without a package index, and publishes from there', async () => {
    const venv = join(scratch, 'venv');
    await run('python3', ['-m', 'venv', '--system-site-packages', venv]);
    const venvPython = join(venv, 'bin', 'python');
    // --isolated and --no-index: no pip configuration and no index, so nothing may come from outside.
    await run(venvPython, ['-m', 'pip', 'install', '--isolated', '--no-index', '--disable-pip-version-check', CLIENT_DIR], {
      cwd: scratch,
      timeout: 120_000,
    });
    const where = await python('import notify_client; print(notify_client.__file__)', {}, { python: venvPython, fromSource: false });
    expect(where.trim().startsWith(join(venv, 'lib'))).toBe(true);
    const { event_id } = JSON.parse(
      await python(
        publishScript('installed', 'sync'),
        { BASE_URL: pipeline.httpUrl, API_KEY: pipeline.apiKey },
        { python: venvPython, fromSource: false },
      ),
    ) as { event_id: string };
    await delivered(statuses, event_id);
  });
});
