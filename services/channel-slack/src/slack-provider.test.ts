import { PermanentError, RetryableError } from '@notify/errors';
import { BUNDLED_TEMPLATES_DIR, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startSlackFake, type SlackFake } from '../../../tests/support/fakes/slack-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { SlackProvider } from './slack-provider';

describe('SlackProvider against a local Slack', () => {
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'slack');
  let slack: SlackFake;
  let provider: SlackProvider;

  beforeAll(async () => {
    slack = await startSlackFake();
    provider = new SlackProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5000, connections: 4 }),
      destinations: TenantDestinations.parse(
        JSON.stringify({ acme: slack.webhookUrl('acme'), 'acme/risk': slack.webhookUrl('risk') }),
        'SLACK_DESTINATIONS',
      ),
      botTokens: TenantDestinations.parse(JSON.stringify({ default: slack.botToken }), 'SLACK_BOT_TOKENS'),
      apiUrl: slack.apiUrl,
    });
  });
  afterAll(async () => {
    await provider.close();
    await slack.close();
  });

  const send = (overrides: Parameters<typeof sampleDispatch>[1] = {}) => {
    const d = sampleDispatch('slack', overrides);
    return provider.send(d, render(d));
  };

  it('posts Block Kit with the critical colour to the tenant webhook', async () => {
    await expect(send()).resolves.toEqual({ providerRef: null });
    const post = slack.posts().at(-1);
    expect(post?.path).toBe('/services/T000/B000/acme');
    const json = post?.json as {
      text: string;
      blocks: Array<{ type: string; text: { text: string } }>;
      attachments: Array<{ color: string; blocks: Array<{ type: string; text?: { text: string } }> }>;
    };
    expect(json.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':red_circle: MARGIN CALL on ACC-7', emoji: true },
    });
    expect(json.attachments[0]?.color).toBe('#E01E5A');
    expect(json.attachments[0]?.blocks[0]?.text?.text).toContain('short $12,500');
    expect(json.text).toContain('MARGIN CALL on ACC-7');
  });

  it("posts a team's notification to the team's own destination, and a team without one to the tenant's", async () => {
    await send({ user_id: '#risk', recipient: 'acme/#risk' });
    expect(slack.posts().at(-1)?.path).toBe('/services/T000/B000/risk');
    await send({ user_id: '#team', recipient: 'acme/#team' });
    expect(slack.posts().at(-1)?.path).toBe('/services/T000/B000/acme');
  });

  it("renders the recipient's locale into the header, body and fallback text", async () => {
    await send({ locale: 'fr' });
    const json = slack.posts().at(-1)?.json as {
      text: string;
      blocks: Array<{ text: { text: string } }>;
      attachments: Array<{ blocks: Array<{ text?: { text: string } }> }>;
    };
    expect(json.blocks[0]?.text.text).toBe(':red_circle: APPEL DE MARGE sur ACC-7');
    expect(json.attachments[0]?.blocks[0]?.text?.text).toBe('Il manque $12,500 sur votre compte ACC-7. Ajoutez des fonds avant 16:00 UTC.');
    expect(json.text).toMatch(/^APPEL DE MARGE sur ACC-7: /);
  });

  it('uses chat.postMessage with the bot token for a channel id and returns channel/ts', async () => {
    const result = await send({ address: 'C0ALERTS', severity: 'warning', severity_label: 'medium' });
    expect(result.providerRef).toMatch(/^C0ALERTS\/1700000000\.\d{6}$/);
    const post = slack.posts().at(-1);
    expect(post?.path).toBe('/api/chat.postMessage');
    expect(post?.authorization).toBe(`Bearer ${slack.botToken}`);
    expect(post?.json.channel).toBe('C0ALERTS');
    expect((post?.json.attachments as Array<{ color: string }>)[0]?.color).toBe('#ECB22E');
  });

  it('honours Retry-After on 429', async () => {
    slack.failNext({ status: 429, headers: { 'retry-after': '3' }, body: 'rate_limited' });
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(3000);
  });

  it('retries 5xx', async () => {
    slack.failNext({ status: 503, body: 'service_unavailable' });
    await expect(send()).rejects.toBeInstanceOf(RetryableError);
  });

  it('fails permanently with the reason Slack gives, for webhooks and the Web API', async () => {
    const hook = await send({ address: slack.webhookUrl('unknown') }).catch((e: unknown) => e);
    expect(hook).toBeInstanceOf(PermanentError);
    expect((hook as PermanentError).message).toContain('no_service');
    const api = await send({ address: 'C0NOPE' }).catch((e: unknown) => e);
    expect(api).toBeInstanceOf(PermanentError);
    expect((api as PermanentError).code).toBe('slack_channel_not_found');
  });

  it('retries transient Web API errors', async () => {
    slack.failNext({ status: 200, body: { ok: false, error: 'internal_error' } });
    await expect(send({ address: 'C0ALERTS' })).rejects.toBeInstanceOf(RetryableError);
  });

  it('refuses a loopback destination that is not allow-listed', async () => {
    const strict = new SlackProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard([]), timeoutMs: 5000, connections: 1 }),
      destinations: TenantDestinations.parse('{}', 'X'),
      botTokens: TenantDestinations.parse('{}', 'X'),
      apiUrl: slack.apiUrl,
    });
    const d = sampleDispatch('slack', { address: slack.webhookUrl('acme').replace('127.0.0.1', 'localhost') });
    const error = await strict.send(d, render(d)).catch((e: unknown) => e);
    await strict.close();
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('destination_refused');
  });
});
