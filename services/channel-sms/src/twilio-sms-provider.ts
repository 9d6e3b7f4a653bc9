/**
 * SMS through Twilio's Messages API with the `twilio` package. The body was already cut to the
 * segment budget by the renderer. Delivery is reported later by status callbacks, so acceptance is
 * `sent`; Twilio has no idempotency key for messages, so a send in doubt is never repeated.
 */
import type twilio from 'twilio';
import { PermanentError } from '@notify/errors';
import { twilioFailure, type ChannelProvider, type RenderedMessage, type SendResult } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';

export interface TwilioSmsOptions {
  client: twilio.Twilio;
  from: string;
  messagingServiceSid: string;
  /** Where Twilio reports this message's status; undefined for no callbacks. */
  statusCallback?: (dispatch: Dispatch) => string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export class TwilioSmsProvider implements ChannelProvider {
  readonly name = 'twilio';
  readonly dedupesByIdempotencyKey = false;
  readonly acceptanceIsDelivery = false;

  constructor(private readonly options: TwilioSmsOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const to = dispatch.address;
    if (!to) throw new PermanentError('no_address', 'the dispatch has no phone number');
    if (!E164.test(to)) throw new PermanentError('invalid_address', `${to} is not an E.164 phone number`);
    try {
      const sent = await this.options.client.messages.create({
        to,
        body: message.body,
        ...(this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : { from: this.options.from }),
        ...(this.options.statusCallback ? { statusCallback: this.options.statusCallback(dispatch) } : {}),
      });
      return { providerRef: sent.sid };
    } catch (error) {
      throw twilioFailure(error, 'sms');
    }
  }
}
