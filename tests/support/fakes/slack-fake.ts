/**
 * A local Slack: incoming webhooks (`POST /services/...` answering 200 "ok", or 404 "no_service" for
 * unknown hooks) and the Web API's chat.postMessage (`POST /api/chat.postMessage`, Bearer token,
 * answering `{ok, channel, ts}` or `{ok: false, error}` like Slack does).
 */
import { jsonBody, startScriptedServer, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface SlackFake extends ScriptedServer {
  /** A webhook URL the fake accepts. */
  webhookUrl(name: string): string;
  apiUrl: string;
  botToken: string;
  posts(): Array<{ path: string; authorization: string | undefined; json: Record<string, unknown> }>;
}

const BOT_TOKEN = 'xoxb-test-token';
const KNOWN_CHANNELS = new Set(['C0ALERTS', 'C0OPS']);

export async function startSlackFake(options: { latencyMs?: number } = {}): Promise<SlackFake> {
  let seq = 0;
  const server = await startScriptedServer({
    ...options,
    handle: (req: FakeRequest) => {
      if (req.path.startsWith('/services/')) {
        if (req.path.includes('/unknown')) return { status: 404, body: 'no_service' };
        return { status: 200, body: 'ok' };
      }
      if (req.path === '/api/chat.postMessage') {
        if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
        const channel = String(jsonBody<{ channel?: unknown }>(req).channel);
        if (!KNOWN_CHANNELS.has(channel)) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        seq += 1;
        return { status: 200, body: { ok: true, channel, ts: `1700000000.${String(seq).padStart(6, '0')}` } };
      }
      return { status: 404, body: 'not found' };
    },
  });
  return {
    ...server,
    webhookUrl: (name) => `${server.url}/services/T000/B000/${name}`,
    apiUrl: `${server.url}/api`,
    botToken: BOT_TOKEN,
    posts: () =>
      server.accepted.map((r) => ({ path: r.path, authorization: r.headers.authorization, json: jsonBody<Record<string, unknown>>(r) })),
  };
}
