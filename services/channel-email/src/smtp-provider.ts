/**
 * Email over SMTP with `nodemailer` (pooled connections). SMTP has no delivery feedback channel we
 * read, so acceptance by the relay is reported as `delivered` (bounces arrive later by mail and are
 * out of scope). SMTP 4xx replies are transient by definition, 5xx permanent.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { PermanentError, RetryableError } from '@notify/errors';
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';
import { isEmailAddress } from './address';
import { unsubscribeHeaders } from './headers';

export interface SmtpOptions {
  url: string;
  from: string;
  timeoutMs: number;
  maxConnections: number;
}

export class SmtpEmailProvider implements ChannelProvider {
  readonly name = 'smtp';
  readonly dedupesByIdempotencyKey = false;
  readonly acceptanceIsDelivery = true;
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    } as nodemailer.TransportOptions);
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const to = dispatch.address;
    if (!to) throw new PermanentError('no_address', 'the dispatch has no email address');
    if (!isEmailAddress(to)) throw new PermanentError('invalid_address', `${to} is not an email address`);
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to,
        subject: message.title,
        text: message.body,
        ...(message.html ? { html: message.html } : {}),
        headers: { ...unsubscribeHeaders(message.unsubscribeUrl), 'X-Notification-Id': dispatch.notification_id },
      });
      return { providerRef: (info as { messageId?: string }).messageId ?? null };
    } catch (error) {
      throw smtpFailure(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export function smtpFailure(error: unknown): Error {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const reason = `smtp ${e.response ?? e.message ?? String(error)}`;
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return new PermanentError(`smtp_${e.responseCode}`, reason);
    return new RetryableError(`smtp_${e.responseCode}`, reason);
  }
  return new RetryableError((e.code ?? 'smtp_error').toLowerCase(), reason, { cause: error });
}
