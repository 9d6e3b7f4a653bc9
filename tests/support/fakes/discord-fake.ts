/**
 * A local Discord webhook endpoint: `POST /api/webhooks/<id>/<token>?wait=true` answers 200 with the
 * created message (id, embeds), an unknown webhook 404 `{code: 10015, message: "Unknown Webhook"}`,
 * and an embed breaking Discord's rules 400 `{code: 50035, message: "Invalid Form Body"}`.
 */
import { jsonBody, startScriptedServer, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface DiscordFake extends ScriptedServer {
  webhookUrl(id: string): string;
  posts(): Array<{
    path: string;
    query: URLSearchParams;
    json: { content?: string; embeds?: Array<Record<string, unknown>>; allowed_mentions?: unknown };
  }>;
}

export async function startDiscordFake(options: { latencyMs?: number } = {}): Promise<DiscordFake> {
  let seq = 0;
  const server = await startScriptedServer({
    ...options,
    handle: (req: FakeRequest) => {
      const url = new URL(req.path, 'http://fake');
      const match = /^\/api\/webhooks\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (!match || match[1] === 'unknown') return { status: 404, body: { code: 10015, message: 'Unknown Webhook' } };
      const json = jsonBody<{ embeds?: Array<{ title?: string; color?: unknown }> }>(req);
      const embeds = json.embeds ?? [];
      if (embeds.length > 10 || embeds.some((e) => (e.title ?? '').length > 256 || typeof e.color !== 'number'))
        return { status: 400, body: { code: 50035, message: 'Invalid Form Body' } };
      seq += 1;
      const id = String(1_200_000_000_000_000_000n + BigInt(seq));
      return url.searchParams.get('wait') === 'true' ? { status: 200, body: { id, embeds } } : { status: 204 };
    },
  });
  return {
    ...server,
    webhookUrl: (id) => `${server.url}/api/webhooks/${id}/token-${id}`,
    posts: () =>
      server.accepted.map((r) => {
        const url = new URL(r.path, 'http://fake');
        return { path: url.pathname, query: url.searchParams, json: jsonBody(r) };
      }),
  };
}
