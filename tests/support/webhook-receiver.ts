/**
 * A local webhook endpoint that verifies Standard Webhooks signatures the way a customer's receiver
 * would: a verified request is answered 204, anything else 401. Built on the scripted fake server, so
 * it can also be told to fail or hang the next requests, and serves as the webhook adapter's fake in
 * the provider contract (only verified requests count as `accepted`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { verify } from '../../services/channel-webhook/src/signature';
import { startScriptedServer, type ScriptedServer } from './fakes/scripted-server';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
}

export interface WebhookReceiver extends ScriptedServer {
  /** The endpoint to configure (the server's origin plus /hooks). */
  url: string;
  /** Every request the receiver itself answered (not scripted failures), verified or not. */
  received: ReceivedWebhook[];
}

/** `secret` is the one secret this receiver knows, as a customer mid-rotation may know only one. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = await startScriptedServer({
    handle: (request) => {
      const verified = verify(
        secret,
        {
          id: String(request.headers['webhook-id'] ?? ''),
          timestamp: String(request.headers['webhook-timestamp'] ?? ''),
          signature: String(request.headers['webhook-signature'] ?? ''),
        },
        request.body,
      );
      received.push({ headers: request.headers, body: request.body, json: JSON.parse(request.body), verified });
      return verified ? { status: 204 } : { status: 401, body: 'invalid signature' };
    },
  });
  return { ...server, url: `${server.url}/hooks`, received };
}
