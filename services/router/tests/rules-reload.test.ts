/**
 * Rule reload in a running router process: a broken rule file is rejected with its file and line in
 * the log while the previous rules keep routing, and a fixed file takes effect without a restart.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Intent } from '@notify/schemas';
import { waitFor } from '../../../tests/support/wait';
import type { TopicReader } from '../../../tests/support/topic-reader';
import { acceptedEvent, startRouter, type RouterHarness } from './router-harness';

jest.setTimeout(180_000);

const TENANT = `rel${randomUUID().slice(0, 8)}`;

const rules = (name: string, channels: string) => `tenant: ${TENANT}
rules:
  - name: "${name}"
    event_type: "ORDER_FILLED"
    actions:
      - { channels: [${channels}], template: "order.filled" }
`;

// Line 5 names a channel that does not exist.
const BROKEN = `tenant: ${TENANT}
rules:
  - name: "Broken"
    event_type: "ORDER_FILLED"
    actions: [{ channels: [carrier_pigeon] }]
`;

let harness: RouterHarness;
let intents: TopicReader<Intent>;

beforeAll(async () => {
  harness = await startRouter({ rulesYaml: rules('Fills v1', 'inapp'), env: { RULES_POLL_MS: '500' } });
  intents = await harness.read<Intent>('notifications.intents');
});

afterAll(async () => {
  await harness?.stop();
});

async function routeOne(): Promise<Intent> {
  const event = acceptedEvent({ tenant: TENANT, type: 'ORDER_FILLED', recipients: ['u1'] });
  await harness.produce('notifications.accepted', [{ key: event.event_id, value: event }]);
  return waitFor(
    `the intent of ${event.event_id}`,
    () => intents.records.find((r) => r.value.event_id === event.event_id)?.value,
    60_000,
    50,
  );
}

const logged = (msg: string) => harness.logLines().filter((line) => typeof line.msg === 'string' && line.msg.includes(msg));

describe('rule reload in a running router', () => {
  it('keeps the previous rules in force when a file breaks, names file and line, and applies the fixed file', async () => {
    expect(await routeOne()).toMatchObject({ rule: 'Fills v1', channels: ['inapp'] });

    writeFileSync(harness.rulesFile, BROKEN);
    const rejected = await waitFor('the rejection to be logged', () => logged('rule file rejected')[0], 30_000, 100);
    expect(rejected).toMatchObject({ level: 50, file: harness.rulesFile, line: 5 });
    expect(String(rejected.reason)).toContain('carrier_pigeon');
    expect(String(rejected.msg)).toContain('previous rules stay in force');
    expect(await routeOne()).toMatchObject({ rule: 'Fills v1', channels: ['inapp'] });

    const reloadsBefore = logged('rules reloaded').length;
    writeFileSync(harness.rulesFile, rules('Fills v2', 'email, inapp'));
    await waitFor('the fixed file to be loaded', () => (logged('rules reloaded').length > reloadsBefore ? true : undefined), 30_000, 100);
    expect(await routeOne()).toMatchObject({ rule: 'Fills v2', channels: ['email', 'inapp'] });
    expect(harness.router.process.exitCode).toBeNull();
  });
});
