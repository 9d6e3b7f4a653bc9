import { PermanentError, RetryableError } from '@notify/errors';
import { BUNDLED_TEMPLATES_DIR, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startDiscordFake, type DiscordFake } from '../../../tests/support/fakes/discord-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { DiscordProvider } from './discord-provider';

describe('DiscordProvider against a local Discord', () => {
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'discord');
  let discord: DiscordFake;
  let provider: DiscordProvider;

  beforeAll(async () => {
    discord = await startDiscordFake();
    provider = new DiscordProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5000, connections: 4 }),
      destinations: TenantDestinations.parse(JSON.stringify({ default: discord.webhookUrl('111') }), 'DISCORD_DESTINATIONS'),
    });
  });
  afterAll(async () => {
    await provider.close();
    await discord.close();
  });

  const send = (overrides: Parameters<typeof sampleDispatch>[1] = {}) => {
    const d = sampleDispatch('discord', overrides);
    return provider.send(d, render(d));
  };

  it('posts an embed in seed 004 red for critical, waits for the message id, and disables mentions', async () => {
    const result = await send();
    expect(result.providerRef).toMatch(/^\d{19}$/);
    const post = discord.posts().at(-1);
    expect(post?.path).toBe('/api/webhooks/111/token-111');
    expect(post?.query.get('wait')).toBe('true');
    expect(post?.json.embeds?.[0]).toMatchObject({
      title: 'MARGIN CALL on ACC-7',
      color: 15158332,
      fields: [
        { name: 'Severity', value: 'critical', inline: true },
        { name: 'Type', value: 'MARGIN_CALL', inline: true },
      ],
    });
    expect(post?.json.allowed_mentions).toEqual({ parse: [] });
  });

  it("titles the embed in the recipient's locale, falling back fr-CA → fr → en", async () => {
    await send({ locale: 'fr-CA' });
    expect(discord.posts().at(-1)?.json.embeds?.[0]).toMatchObject({
      title: 'APPEL DE MARGE au compte ACC-7',
      description: 'Il manque $12,500 à votre compte ACC-7. Déposez des fonds avant 16:00 UTC.',
    });
    await send({
      locale: 'fr-BE',
      type: 'ORDER_FILLED',
      payload: JSON.stringify({ order_id: 'o-1', quantity: 10, symbol: 'AAPL', price: 187.5 }),
    });
    expect(discord.posts().at(-1)?.json.embeds?.[0]?.title).toBe('Ordre exécuté : AAPL');
    await send({ locale: 'de' });
    expect(discord.posts().at(-1)?.json.embeds?.[0]?.title).toBe('MARGIN CALL on ACC-7');
  });

  it('colours warning yellow and success green', async () => {
    await send({ severity: 'warning', severity_label: 'warning' });
    expect(discord.posts().at(-1)?.json.embeds?.[0]?.color).toBe(16776960);
    await send({ severity: 'success', severity_label: 'success' });
    expect(discord.posts().at(-1)?.json.embeds?.[0]?.color).toBe(3066993);
  });

  it("honours Retry-After on 429, else Discord's retry_after in the body", async () => {
    discord.failNext({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { message: 'You are being rate limited.', retry_after: 1.5, global: false },
    });
    const withHeader = await send().catch((e: unknown) => e);
    expect((withHeader as RetryableError).retryAfterMs).toBe(2000);
    discord.failNext({ status: 429, body: { message: 'You are being rate limited.', retry_after: 0.25, global: false } });
    const fromBody = await send().catch((e: unknown) => e);
    expect(fromBody).toBeInstanceOf(RetryableError);
    expect((fromBody as RetryableError).retryAfterMs).toBe(250);
  });

  it('retries 5xx', async () => {
    discord.failNext({ status: 502 });
    await expect(send()).rejects.toBeInstanceOf(RetryableError);
  });

  it("fails permanently with Discord's code and message", async () => {
    const error = await send({ address: discord.webhookUrl('unknown') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('http_404');
    expect((error as PermanentError).message).toContain('10015 Unknown Webhook');
  });
});
