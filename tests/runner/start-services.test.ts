/**
 * A failed parallel start must not leave the services that did start running: they would keep
 * consuming after the test and hold the run open.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { startServices } from '../support/services';
import { waitFor } from '../support/wait';

jest.setTimeout(120_000);

const namespace = `t-start-${randomUUID().slice(0, 8)}.`;

beforeAll(() => provision({ ...process.env, KAFKA_NAMESPACE: namespace }));
afterAll(() => dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace }));

/** Pids of service processes running main.ts of `service` with our namespace in their environment. */
function processesOf(service: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmdline.includes(`services/${service}/src/main.ts`)) return [];
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        return environ.includes(`KAFKA_NAMESPACE=${namespace}`) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}

it('stops the services that started when another one fails to start', async () => {
  const starting = startServices(['aggregator', 'no-such-service'], { KAFKA_NAMESPACE: namespace });
  // The aggregator really is launched alongside the one that cannot start.
  await waitFor('the aggregator to be launched', () => (processesOf('aggregator').length > 0 ? true : undefined), 30_000, 50);
  await expect(starting).rejects.toThrow(/no-such-service exited/);
  expect(processesOf('aggregator')).toEqual([]);
});
