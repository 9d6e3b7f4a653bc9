/**
 * POSTs JSON to provider endpoints through an undici Agent whose connector resolves names with the
 * AddressGuard, so private and metadata addresses are refused on the address actually dialled.
 * Redirects are never followed (undici does not follow them without an interceptor); connect, header
 * and body timeouts are bounded. Transport failures become pipeline errors here; HTTP statuses are
 * left to each provider, which knows where its API puts the reason.
 */
import { Agent, request } from 'undici';
import { PermanentError, RetryableError } from '@notify/errors';
import type { AddressGuard } from './address-guard';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface GuardedClientOptions {
  guard: AddressGuard;
  timeoutMs: number;
  connections: number;
  /** Extra trusted certificates (PEM) for TLS, e.g. a local test provider's self-signed one. */
  ca?: string;
}

/** Largest provider answer we read; reasons and ids are short, anything longer is cut. */
const MAX_REPLY_BYTES = 64 * 1024;

export class GuardedJsonClient {
  private readonly agent: Agent;

  constructor(private readonly options: GuardedClientOptions) {
    this.agent = new Agent({
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, lookup: options.guard.lookup, ...(options.ca ? { ca: options.ca } : {}) },
    });
  }

  /** Throws PermanentError for a URL that can never be dialled (bad scheme, refused IP literal). */
  checkDestination(raw: string, provider: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new PermanentError('invalid_address', `${provider} destination is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new PermanentError('invalid_address', `${provider} destination has unsupported scheme ${url.protocol}`);
    this.options.guard.checkUrl(url);
    return url;
  }

  async postJson(url: URL, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
    let response;
    try {
      response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'notify-platform/1', ...headers },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw transportError(error, url);
    }
    return { status: response.statusCode, headers: response.headers, text: await readCapped(response.body) };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function transportError(error: unknown, url: URL): Error {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  if (e.code === 'EDESTREFUSED' || e.cause?.code === 'EDESTREFUSED') {
    return new PermanentError('destination_refused', e.message ?? 'destination refused', { cause: error });
  }
  return new RetryableError(e.code ?? 'network_error', `request to ${url.host} failed: ${e.message ?? String(error)}`, { cause: error });
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.from(chunk);
    chunks.push(buf);
    size += buf.length;
    if (size >= MAX_REPLY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES).toString('utf8');
}
