/**
 * The webhook worker as deployed (its main()), on real Kafka and Postgres, configured through
 * WEBHOOK_ENDPOINTS: during a secret rotation every webhook carries one signature per secret, so a
 * receiver that still knows only the old secret verifies it; an endpoint answering a redirect is
 * dead-lettered as `redirect_refused` and the redirect's target is never called.
 */
import { verify } from '../src/signature';
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { samples } from '../../../tests/observability/metrics-text';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { startScriptedServer, type ScriptedServer } from '../../../tests/support/fakes/scripted-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../../tests/support/webhook-receiver';
import { main } from '../src/main';

jest.setTimeout(120_000);

const secret = (key: string) => `whsec_${Buffer.from(key).toString('base64')}`;
const NEW_SECRET = secret('webhook-rotation-new-key-32bytes');
const OLD_SECRET = secret('webhook-rotation-old-key-32bytes');

describe('channel-webhook worker', () => {
  let oldOnly: WebhookReceiver;
  let redirector: ScriptedServer;
  let elsewhere: ScriptedServer;
  let rig: ChannelWorkerRig;
  const tenant = `hooks-${Date.now()}`;
  const redirectingTenant = `${tenant}-moved`;

  beforeAll(async () => {
    oldOnly = await startWebhookReceiver(OLD_SECRET);
    elsewhere = await startScriptedServer({ handle: () => ({ status: 204 }) });
    redirector = await startScriptedServer({ handle: () => ({ status: 302, headers: { location: `${elsewhere.url}/hooks` } }) });
    rig = await startChannelWorker('webhook', main, {
      WEBHOOK_ENDPOINTS: JSON.stringify({
        [tenant]: { url: oldOnly.url, secrets: [NEW_SECRET, OLD_SECRET] },
        [redirectingTenant]: { url: `${redirector.url}/hooks`, secrets: [NEW_SECRET] },
      }),
      WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await oldOnly?.close();
    await redirector?.close();
    await elsewhere?.close();
  });

  it('signs with both secrets while rotating: a receiver knowing only the old one verifies, and so would one knowing only the new', async () => {
    const d = sampleDispatch('webhook', { tenant });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.provider])).toEqual([['delivered', 'webhook']]);
    const mine = oldOnly.received.filter((r) => r.headers['webhook-id'] === d.notification_id);
    expect(mine.map((r) => r.verified)).toEqual([true]);
    const [hook] = mine;
    const headers = {
      id: String(hook?.headers['webhook-id']),
      timestamp: String(hook?.headers['webhook-timestamp']),
      signature: String(hook?.headers['webhook-signature']),
    };
    expect(headers.signature.split(' ')).toHaveLength(2);
    expect(verify(NEW_SECRET, headers, hook?.body ?? '')).toBe(true);
    expect(verify(secret('a-secret-nobody-configured-32byt'), headers, hook?.body ?? '')).toBe(false);
  });

  it('dead-letters an endpoint answering 302 as redirect_refused without calling the Location', async () => {
    const d = sampleDispatch('webhook', { tenant: redirectingTenant });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'redirect_refused']]);
    const letter = await rig.deadLetter(d.notification_id);
    expect(letter).toMatchObject({
      stage: 'channel-webhook',
      code: 'redirect_refused',
      reason: expect.stringMatching(/answered 302; redirects are not followed/),
    });
    expect(redirector.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    // The failure is counted with its reason, as an operator's alert on notifications_failed_total sees it.
    const metrics = await (await fetch(`http://127.0.0.1:${rig.opsPort}/metrics`)).text();
    expect(
      samples(metrics, 'notifications_failed_total').find((m) => m.labels.channel === 'webhook' && m.labels.reason === 'redirect_refused')
        ?.value,
    ).toBe(1);
  });
});
