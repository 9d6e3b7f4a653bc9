/**
 * The PagerDuty worker as deployed (its main()), on real Kafka and Postgres, against a local Events
 * API v2: trigger then resolve with one dedup_key, 429 and 5xx through the retry topic, a permanent
 * 400 to the DLQ.
 */
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { startPagerDutyFake, type PagerDutyFake } from '../../../tests/support/fakes/pagerduty-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { main } from '../src/main';

jest.setTimeout(120_000);

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000002';

describe('channel-pagerduty worker', () => {
  let pd: PagerDutyFake;
  let rig: ChannelWorkerRig;
  const tenant = `pd-${Date.now()}`;

  beforeAll(async () => {
    pd = await startPagerDutyFake();
    rig = await startChannelWorker('pagerduty', main, {
      PAGERDUTY_ROUTING_KEYS: JSON.stringify({ default: ROUTING_KEY }),
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
      PAGERDUTY_ALLOW_NETWORKS: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await pd?.close();
  });

  it('triggers an incident for a critical event and resolves it with the same dedup_key', async () => {
    const trigger = sampleDispatch('pagerduty', { tenant, type: 'PRICE_FEED_DOWN', payload: JSON.stringify({ feed: 'NYSE' }) });
    await rig.dispatch(trigger);
    expect((await rig.terminal(trigger.notification_id)).map((s) => s.status)).toEqual(['delivered']);
    const dedupKey = `${tenant}/PRICE_FEED_DOWN`;
    expect(pd.incidents.get(dedupKey)).toBe('triggered');
    const resolve = sampleDispatch('pagerduty', {
      tenant,
      type: 'PRICE_FEED_DOWN_RESOLVED',
      severity: 'success',
      severity_label: 'resolved',
      payload: '{}',
    });
    await rig.dispatch(resolve);
    expect((await rig.terminal(resolve.notification_id)).map((s) => s.status)).toEqual(['delivered']);
    expect(
      pd
        .events()
        .filter((e) => e.dedup_key === dedupKey)
        .map((e) => e.event_action),
    ).toEqual(['trigger', 'resolve']);
    expect(pd.incidents.get(dedupKey)).toBe('resolved');
  });

  it('waits out 429 Retry-After, and retries a 5xx, then delivers', async () => {
    const limited = sampleDispatch('pagerduty', { tenant });
    pd.failNext({ status: 429, headers: { 'retry-after': '1' } });
    await rig.dispatch(limited);
    expect((await rig.terminal(limited.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_429'],
      ['delivered', null],
    ]);
    const failing = sampleDispatch('pagerduty', { tenant });
    pd.failNext({ status: 503 });
    await rig.dispatch(failing);
    expect((await rig.terminal(failing.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_503'],
      ['delivered', null],
    ]);
  });

  it('dead-letters an event PagerDuty rejects, with its validation errors', async () => {
    const d = sampleDispatch('pagerduty', { tenant, address: 'not-an-integration-key' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'http_400']]);
    expect((await rig.deadLetter(d.notification_id)).reason).toContain('routing_key');
  });
});
