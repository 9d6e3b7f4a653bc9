/**
 * Email through SendGrid's v3 mail send with `@sendgrid/mail`, on a client whose base URL is
 * configurable (a local fake in tests). The notification id travels as a custom arg, so event
 * webhook reports name the notification they are about. Acceptance is `sent`; the event webhook
 * reports delivered / bounce / dropped later.
 */
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { PermanentError, RetryableError } from '@notify/errors';
import { type ChannelProvider, type RenderedMessage, type SendResult } from '@notify/channel';
import { retryAfterMs } from '@notify/provider-http';
import type { Dispatch } from '@notify/schemas';
import { isEmailAddress } from './address';
import { unsubscribeHeaders } from './headers';

export interface SendGridOptions {
  apiKey: string;
  baseUrl: string;
  from: string;
  timeoutMs: number;
}

interface SendGridResponseError {
  code: number;
  response?: { headers?: Record<string, string>; body?: unknown };
}

export class SendGridEmailProvider implements ChannelProvider {
  readonly name = 'sendgrid';
  readonly dedupesByIdempotencyKey = false;
  readonly acceptanceIsDelivery = false;
  private readonly mail: MailService;

  constructor(private readonly options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail = new MailService();
    this.mail.setClient(client);
    this.mail.setTimeout(options.timeoutMs);
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const to = dispatch.address;
    if (!to) throw new PermanentError('no_address', 'the dispatch has no email address');
    if (!isEmailAddress(to)) throw new PermanentError('invalid_address', `${to} is not an email address`);
    try {
      const [response] = await this.mail.send({
        to,
        from: this.options.from,
        subject: message.title,
        text: message.body,
        ...(message.html ? { html: message.html } : {}),
        headers: unsubscribeHeaders(message.unsubscribeUrl),
        customArgs: { notification_id: dispatch.notification_id },
      });
      const headers = response.headers as Record<string, string | undefined>;
      return { providerRef: headers['x-message-id'] ?? null };
    } catch (error) {
      throw sendGridFailure(error);
    }
  }
}

function reasonOf(body: unknown): string {
  const errors = (body as { errors?: Array<{ message?: string; field?: string | null }> } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0)
    return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : String(e.message))).join('; ');
  return typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body ?? null).slice(0, 300);
}

export function sendGridFailure(error: unknown): Error {
  const e = error as Partial<SendGridResponseError> & { message?: string };
  if (typeof e.code === 'number' && e.response) {
    const reason = `sendgrid answered ${e.code}: ${reasonOf(e.response.body)}`;
    if (e.code === 429 || e.code >= 500)
      return new RetryableError(`http_${e.code}`, reason, { retryAfterMs: retryAfterMs(e.response.headers?.['retry-after']) });
    return new PermanentError(`http_${e.code}`, reason);
  }
  return new RetryableError('network_error', `sendgrid request failed: ${e.message ?? String(error)}`, { cause: error });
}
