import { PermanentError, RetryableError } from '@notify/errors';
import { BUNDLED_TEMPLATES_DIR, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startPagerDutyFake, type PagerDutyFake } from '../../../tests/support/fakes/pagerduty-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { PagerDutyProvider } from './pagerduty-provider';

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';

describe('PagerDutyProvider against a local Events API v2', () => {
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'pagerduty');
  let pd: PagerDutyFake;
  let provider: PagerDutyProvider;

  beforeAll(async () => {
    pd = await startPagerDutyFake();
    provider = new PagerDutyProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5000, connections: 4 }),
      routingKeys: TenantDestinations.parse(JSON.stringify({ default: ROUTING_KEY }), 'PAGERDUTY_ROUTING_KEYS'),
      eventsUrl: pd.eventsUrl,
    });
  });
  afterAll(async () => {
    await provider.close();
    await pd.close();
  });

  const send = (overrides: Parameters<typeof sampleDispatch>[1] = {}) => {
    const d = sampleDispatch('pagerduty', overrides);
    return provider.send(d, render(d));
  };

  it('triggers, then resolves the same incident by dedup_key', async () => {
    const payload = JSON.stringify({ dedup_key: 'db-primary-down', host: 'db-1' });
    const trigger = await send({ type: 'DB_DOWN', payload });
    expect(trigger.providerRef).toBe('db-primary-down');
    expect(pd.events().at(-1)).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'db-primary-down',
      payload: { severity: 'critical', source: 'notify-platform/acme', class: 'DB_DOWN' },
    });
    expect(pd.incidents.get('db-primary-down')).toBe('triggered');
    await send({ type: 'DB_DOWN_RESOLVED', severity: 'success', severity_label: 'resolved', payload });
    expect(pd.events().at(-1)).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'db-primary-down' });
    expect(pd.incidents.get('db-primary-down')).toBe('resolved');
  });

  it('derives the same dedup_key from tenant and base type when the payload has none', async () => {
    await send({ type: 'DISK_FULL', payload: '{}' });
    await send({ type: 'DISK_FULL_RESOLVED', payload: '{}' });
    const [trigger, resolve] = pd.events().slice(-2);
    expect(trigger?.dedup_key).toBe('acme/DISK_FULL');
    expect(resolve?.dedup_key).toBe('acme/DISK_FULL');
  });

  it('retries 429 (with or without Retry-After) and 5xx', async () => {
    pd.failNext({ status: 429, headers: { 'retry-after': '4' } });
    expect(((await send().catch((e: unknown) => e)) as RetryableError).retryAfterMs).toBe(4000);
    pd.failNext({ status: 429 });
    await expect(send()).rejects.toBeInstanceOf(RetryableError);
    pd.failNext({ status: 503 });
    await expect(send()).rejects.toBeInstanceOf(RetryableError);
  });

  it("fails permanently with PagerDuty's validation errors", async () => {
    const error = await send({ address: 'too-short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('http_400');
    expect((error as PermanentError).message).toContain('routing_key');
  });
});
