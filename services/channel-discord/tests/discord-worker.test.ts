/**
 * The Discord worker as deployed (its main()), on real Kafka and Postgres, against a local Discord:
 * embeds coloured by severity, 429 and 5xx through the retry topic, a permanent 4xx to the DLQ.
 */
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { startDiscordFake, type DiscordFake } from '../../../tests/support/fakes/discord-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { main } from '../src/main';

jest.setTimeout(120_000);

describe('channel-discord worker', () => {
  let discord: DiscordFake;
  let rig: ChannelWorkerRig;
  const tenant = `discord-${Date.now()}`;

  beforeAll(async () => {
    discord = await startDiscordFake();
    rig = await startChannelWorker('discord', main, {
      DISCORD_DESTINATIONS: JSON.stringify({ default: discord.webhookUrl('900') }),
      DISCORD_ALLOW_NETWORKS: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await discord?.close();
  });

  it('delivers a red embed for critical and records the Discord message id', async () => {
    const d = sampleDispatch('discord', { tenant, address: discord.webhookUrl('901') });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => s.status)).toEqual(['delivered']);
    const post = discord.posts().find((p) => p.path === '/api/webhooks/901/token-901');
    expect(post?.json.embeds?.[0]).toMatchObject({ title: 'MARGIN CALL on ACC-7', color: 15158332 });
  });

  it('waits out 429 Retry-After, and retries a 5xx, then delivers', async () => {
    const limited = sampleDispatch('discord', { tenant });
    discord.failNext({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'You are being rate limited.', retry_after: 1, global: false },
    });
    await rig.dispatch(limited);
    expect((await rig.terminal(limited.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_429'],
      ['delivered', null],
    ]);
    const failing = sampleDispatch('discord', { tenant });
    discord.failNext({ status: 502 });
    await rig.dispatch(failing);
    expect((await rig.terminal(failing.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_502'],
      ['delivered', null],
    ]);
  });

  it("dead-letters an unknown webhook with Discord's reason", async () => {
    const d = sampleDispatch('discord', { tenant, address: discord.webhookUrl('unknown') });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'http_404']]);
    expect((await rig.deadLetter(d.notification_id)).reason).toContain('Unknown Webhook');
  });
});
