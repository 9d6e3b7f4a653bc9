import { Writable } from 'node:stream';
import { Deferral, InvalidInputError, RetryableError } from '@notify/errors';
import pino from 'pino';
import { afterFailure, type AfterFailureDeps } from './after-failure';
import { createMetrics } from './metrics';

const NOW = 1_700_000_000_000;

/** A real pino logger writing into an array, so the test reads what an operator would see. */
function capturingDeps(): { deps: AfterFailureDeps; lines: Array<{ level: number; msg: string }>; failures: () => Promise<number> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  const metrics = createMetrics('after-failure-test');
  const log = pino({ level: 'debug', messageKey: 'msg' }, sink);
  const failures = async () => (await metrics.failures.get()).values.reduce((sum, v) => sum + v.value, 0);
  return { deps: { log, metrics, retry: { initialMs: 100, maxMs: 30_000 }, deferralStepMs: 5_000, now: () => NOW }, lines, failures };
}

const WARN = 40;

describe('afterFailure', () => {
  it('waits out a deferral quietly: no failure counted, nothing logged above debug', async () => {
    const { deps, lines, failures } = capturingDeps();
    const step = afterFailure(
      new Deferral(NOW + 1_200, 'retry of ntf_1 is due in 1200 ms'),
      1,
      { topic: 'notifications.retry.sms', offset: '7' },
      deps,
    );
    expect(step).toEqual({ next: 'wait', ms: 1_200 });
    expect(await failures()).toBe(0);
    expect(lines.filter((l) => l.level >= WARN)).toEqual([]);
  });

  it('sleeps at most one step on a long deferral, so the worker heart-beats in between', () => {
    const { deps } = capturingDeps();
    expect(afterFailure(new Deferral(NOW + 60_000, 'later'), 1, {}, deps)).toEqual({ next: 'wait', ms: 5_000 });
    expect(afterFailure(new Deferral(NOW - 10, 'overdue'), 1, {}, deps)).toEqual({ next: 'wait', ms: 0 });
  });

  it('counts and warns about a retryable failure, honouring its Retry-After', async () => {
    const { deps, lines, failures } = capturingDeps();
    const step = afterFailure(new RetryableError('http_503', 'unavailable', { retryAfterMs: 700 }), 2, { topic: 't', offset: '1' }, deps);
    expect(step).toEqual({ next: 'retry', ms: 700 });
    expect(await failures()).toBe(1);
    expect((await deps.metrics.failures.get()).values[0]?.labels).toEqual({ code: 'http_503', outcome: 'retried' });
    expect(lines.filter((l) => l.level >= WARN).map((l) => l.msg)).toEqual(['transient failure, retrying']);
  });

  it('gives up on a failure that is not retryable and leaves counting to the caller', async () => {
    const { deps, lines, failures } = capturingDeps();
    expect(afterFailure(new InvalidInputError('invalid_fields', 'bad'), 1, {}, deps)).toEqual({ next: 'give_up' });
    expect(await failures()).toBe(0);
    expect(lines).toEqual([]);
  });
});
