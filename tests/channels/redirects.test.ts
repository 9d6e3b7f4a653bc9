/**
 * Providers never follow redirects: an endpoint answering 3xx with a Location pointing elsewhere
 * (here a second local server that would accept anything) is a permanent `redirect_refused` failure,
 * and the second server is never dialled. A followed redirect would let a tenant-supplied URL bounce
 * our signed, authenticated requests to an address the guard never checked.
 */
import type { ChannelProvider, RenderedMessage } from '@notify/channel';
import { PermanentError } from '@notify/errors';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import type { Channel } from '@notify/schemas';
import { DiscordProvider } from '../../services/channel-discord/src/discord-provider';
import { PagerDutyProvider } from '../../services/channel-pagerduty/src/pagerduty-provider';
import { SlackProvider } from '../../services/channel-slack/src/slack-provider';
import { TeamsProvider } from '../../services/channel-teams/src/teams-provider';
import { WebhookProvider } from '../../services/channel-webhook/src/webhook-provider';
import { sampleDispatch } from '../support/fakes/sample-dispatch';
import { startScriptedServer, type ScriptedServer } from '../support/fakes/scripted-server';
import { WEBHOOK_SECRET } from '../support/pipeline';

jest.setTimeout(30_000);

const LOCAL = ['127.0.0.1/32'];
const message: RenderedMessage = {
  title: 'MARGIN CALL on ACC-7',
  body: 'Shortfall $12,500, deadline 16:00 UTC',
  data: { account_id: 'ACC-7' },
};
const http = () => new GuardedJsonClient({ guard: new AddressGuard(LOCAL), timeoutMs: 5_000, connections: 4 });
const destinations = (url: string, variable: string) => TenantDestinations.parse(JSON.stringify({ default: url }), variable);

/** Each adapter aimed at the redirecting server (`origin`), with the channel its dispatches use. */
const adapters: Array<{ name: string; channel: Channel; create(origin: string): ChannelProvider }> = [
  {
    name: 'signed webhook',
    channel: 'webhook',
    create: (origin) =>
      new WebhookProvider({
        endpoints: new Map([['default', { url: `${origin}/hooks`, secrets: [WEBHOOK_SECRET] }]]),
        guard: new AddressGuard(LOCAL),
        timeoutMs: 5_000,
        connections: 4,
      }),
  },
  {
    name: 'slack incoming webhook',
    channel: 'slack',
    create: (origin) =>
      new SlackProvider({
        http: http(),
        destinations: destinations(`${origin}/services/T000/B000/hook`, 'SLACK_DESTINATIONS'),
        botTokens: destinations('xoxb-t', 'SLACK_BOT_TOKENS'),
        apiUrl: `${origin}/api`,
      }),
  },
  {
    name: 'slack chat.postMessage',
    channel: 'slack',
    create: (origin) =>
      new SlackProvider({
        http: http(),
        destinations: destinations('C0OPS', 'SLACK_DESTINATIONS'),
        botTokens: destinations('xoxb-t', 'SLACK_BOT_TOKENS'),
        apiUrl: `${origin}/api`,
      }),
  },
  {
    name: 'discord webhook',
    channel: 'discord',
    create: (origin) =>
      new DiscordProvider({ http: http(), destinations: destinations(`${origin}/api/webhooks/42/token-42`, 'DISCORD_DESTINATIONS') }),
  },
  {
    name: 'teams workflow',
    channel: 'teams',
    create: (origin) => new TeamsProvider({ http: http(), destinations: destinations(`${origin}/workflows/ops`, 'TEAMS_DESTINATIONS') }),
  },
  {
    name: 'pagerduty events',
    channel: 'pagerduty',
    create: (origin) =>
      new PagerDutyProvider({ http: http(), routingKeys: destinations('R0UTINGKEY', 'PAGERDUTY_ROUTING_KEYS'), eventsUrl: origin }),
  },
];

describe('redirects are refused, never followed', () => {
  let target: ScriptedServer;
  let redirector: ScriptedServer;
  let status = 302;

  beforeAll(async () => {
    // Would accept anything: if a provider followed the redirect, the send would succeed here.
    target = await startScriptedServer({ handle: () => ({ status: 200, body: { ok: true, id: '1', dedup_key: 'k' } }) });
    redirector = await startScriptedServer({
      handle: (request) => ({ status, headers: { location: `${target.url}/landing${request.path}` } }),
    });
  });
  afterAll(async () => {
    await redirector?.close();
    await target?.close();
  });

  describe.each(adapters)('$name', ({ channel, create }) => {
    let provider: ChannelProvider;
    beforeAll(() => {
      provider = create(redirector.url);
    });
    afterAll(() => provider?.close?.());

    it.each([302, 307, 308])(
      '%i with Location at another server: permanent redirect_refused, the other server gets nothing',
      async (code) => {
        status = code;
        const before = redirector.requests.length;
        const error = await provider.send(sampleDispatch(channel), message).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(PermanentError);
        expect(error).toMatchObject({
          code: 'redirect_refused',
          message: expect.stringMatching(new RegExp(`answered ${code}; redirects are not followed`)),
        });
        expect(redirector.requests.length - before).toBe(1);
        expect(target.requests).toHaveLength(0);
      },
    );
  });
});
