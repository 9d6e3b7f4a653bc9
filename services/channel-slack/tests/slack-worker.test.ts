/**
 * The Slack worker as deployed (its main()), on real Kafka and Postgres, against a local Slack:
 * delivery with Block Kit, 429 with Retry-After and 5xx through the retry topic, and a permanent 4xx
 * to the DLQ with a dead_lettered status.
 */
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { startSlackFake, type SlackFake } from '../../../tests/support/fakes/slack-fake';
import { main } from '../src/main';

jest.setTimeout(120_000);

describe('channel-slack worker', () => {
  let slack: SlackFake;
  let rig: ChannelWorkerRig;
  const tenant = `slack-${Date.now()}`;

  beforeAll(async () => {
    slack = await startSlackFake();
    rig = await startChannelWorker('slack', main, {
      SLACK_DESTINATIONS: JSON.stringify({ [tenant]: slack.webhookUrl('tenant-hook') }),
      SLACK_BOT_TOKENS: JSON.stringify({ default: slack.botToken }),
      SLACK_API_URL: slack.apiUrl,
      SLACK_ALLOW_NETWORKS: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await slack?.close();
  });

  it('delivers Block Kit to the recipient webhook and to a bot channel', async () => {
    const hook = sampleDispatch('slack', { tenant, address: slack.webhookUrl('user-hook') });
    const bot = sampleDispatch('slack', { tenant, address: 'C0OPS', severity: 'info', severity_label: 'low' });
    await rig.dispatch(hook, bot);
    expect((await rig.terminal(hook.notification_id)).map((s) => s.status)).toEqual(['delivered']);
    expect((await rig.terminal(bot.notification_id)).at(-1)).toMatchObject({
      status: 'delivered',
      provider: 'slack',
      stage: 'channel-slack',
    });
    const posted = slack.posts().find((p) => p.path.endsWith('/user-hook'));
    expect((posted?.json.blocks as Array<{ text: { text: string } }>)[0]?.text.text).toBe(':red_circle: MARGIN CALL on ACC-7');
    expect(slack.posts().find((p) => p.json.channel === 'C0OPS')?.authorization).toBe(`Bearer ${slack.botToken}`);
  });

  it('waits out 429 Retry-After through the retry topic, then delivers', async () => {
    const d = sampleDispatch('slack', { tenant });
    slack.failNext({ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => [s.status, s.reason, s.attempt])).toEqual([
      ['retrying', 'http_429', 0],
      ['delivered', null, 1],
    ]);
    expect((statuses[1]?.at ?? 0) - (statuses[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(slack.posts().some((p) => (p.json.text as string).includes('MARGIN CALL') && p.path.endsWith('/tenant-hook'))).toBe(true);
  });

  it('retries a 5xx and delivers on the next attempt', async () => {
    const d = sampleDispatch('slack', { tenant });
    slack.failNext({ status: 503, body: 'service_unavailable' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => s.status)).toEqual(['retrying', 'delivered']);
  });

  it("dead-letters a permanent 4xx with Slack's reason", async () => {
    const d = sampleDispatch('slack', { tenant, address: slack.webhookUrl('unknown') });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => s.status)).toEqual(['dead_lettered']);
    expect(statuses[0]?.reason).toBe('http_404');
    const dlq = await rig.deadLetter(d.notification_id);
    expect(dlq).toMatchObject({ stage: 'channel-slack', code: 'http_404' });
    expect(dlq.reason).toContain('no_service');
  });
});
