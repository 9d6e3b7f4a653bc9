/**
 * A Twilio REST client from the `twilio` package whose requests go to `baseUrl` (a local fake
 * Twilio in tests, a regional proxy in production) instead of https://api.twilio.com, and whose
 * 429/5xx answers become RetryableError with Retry-After before the SDK turns them into a
 * RestException that drops the headers.
 */
import twilio from 'twilio';
import { RetryableError } from '@notify/errors';
import { retryAfterMs } from '@notify/provider-http';

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Origin of the REST API; empty for Twilio itself. */
  baseUrl?: string;
  timeoutMs: number;
  maxSockets: number;
}

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: TData };

export class TwilioHttpClient extends twilio.RequestClient {
  constructor(
    private readonly base: URL | undefined,
    options: { timeout: number; maxSockets: number },
  ) {
    super({ timeout: options.timeout, keepAlive: true, maxSockets: options.maxSockets, autoRetry: false });
  }

  override async request<TData>(opts: RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    if (this.base) {
      uri.protocol = this.base.protocol;
      uri.host = this.base.host;
    }
    let response;
    try {
      response = await super.request<TData>({ ...opts, uri: uri.href });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'network_error';
      throw new RetryableError(code.toLowerCase(), `twilio request to ${uri.host} failed: ${(error as Error).message}`, { cause: error });
    }
    const status = response.statusCode;
    if (status === 429 || status >= 500) {
      const headers = (response.headers ?? {}) as Record<string, string | undefined>;
      throw new RetryableError(`http_${status}`, `twilio answered ${status}: ${describeBody(response.body)}`, {
        retryAfterMs: retryAfterMs(headers['retry-after']),
      });
    }
    return response;
  }
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  try {
    const parsed = JSON.parse(text) as { message?: string; code?: number };
    return parsed.message ? `${parsed.message}${parsed.code ? ` (${parsed.code})` : ''}` : text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const httpClient = new TwilioHttpClient(options.baseUrl ? new URL(options.baseUrl) : undefined, {
    timeout: options.timeoutMs,
    maxSockets: options.maxSockets,
  });
  return twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false });
}
