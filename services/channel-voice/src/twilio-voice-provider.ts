/**
 * Voice through Twilio's Calls API with the `twilio` package: the call reads the message with TwiML
 * <Say> (built by the SDK's VoiceResponse, which escapes the text). Call status callbacks report the
 * outcome, so acceptance is `sent`; a call in doubt is never placed again.
 */
import twilio from 'twilio';
import { PermanentError } from '@notify/errors';
import { twilioFailure, type ChannelProvider, type RenderedMessage, type SendResult } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';

export interface TwilioVoiceOptions {
  client: twilio.Twilio;
  from: string;
  statusCallback?: (dispatch: Dispatch) => string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio's <Say> languages are BCP 47 tags such as en-US or fr-FR; the plain language is accepted for these. */
const SAY_LANGUAGES: Record<string, string> = {
  en: 'en-US',
  fr: 'fr-FR',
  de: 'de-DE',
  es: 'es-ES',
  it: 'it-IT',
  pt: 'pt-BR',
  nl: 'nl-NL',
  ja: 'ja-JP',
};

export function sayTwiml(text: string, locale: string): string {
  const response = new twilio.twiml.VoiceResponse();
  const language = SAY_LANGUAGES[locale.split(/[-_]/)[0]?.toLowerCase() ?? 'en'] ?? 'en-US';
  response.say({ language: language as 'en-US' }, text);
  return response.toString();
}

export class TwilioVoiceProvider implements ChannelProvider {
  readonly name = 'twilio';
  readonly dedupesByIdempotencyKey = false;
  readonly acceptanceIsDelivery = false;

  constructor(private readonly options: TwilioVoiceOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const to = dispatch.address;
    if (!to) throw new PermanentError('no_address', 'the dispatch has no phone number');
    if (!E164.test(to)) throw new PermanentError('invalid_address', `${to} is not an E.164 phone number`);
    try {
      const call = await this.options.client.calls.create({
        to,
        from: this.options.from,
        twiml: sayTwiml(message.body, dispatch.locale),
        ...(this.options.statusCallback
          ? { statusCallback: this.options.statusCallback(dispatch), statusCallbackEvent: ['completed'] }
          : {}),
      });
      return { providerRef: call.sid };
    } catch (error) {
      throw twilioFailure(error, 'call');
    }
  }
}
