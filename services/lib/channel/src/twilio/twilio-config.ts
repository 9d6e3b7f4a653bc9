/** The Twilio settings the SMS and voice workers share, merged into each worker's zod schema. */
import { z } from '@notify/runner';

export const twilioRuntimeConfig = {
  TWILIO_ACCOUNT_SID: z.string().default(''),
  TWILIO_AUTH_TOKEN: z.string().default(''),
  /** Sender number or caller id (E.164). */
  TWILIO_FROM: z.string().default(''),
  /** REST API origin; empty for api.twilio.com (tests point it at a local fake). */
  TWILIO_BASE_URL: z.string().default(''),
  TWILIO_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Port of the Twilio callback server (status callbacks, inbound STOP); 0 picks a free one. */
  FEEDBACK_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Public origin Twilio reaches the callback server at; http://127.0.0.1:<port> when empty. */
  FEEDBACK_PUBLIC_URL: z.string().default(''),
};

export type TwilioRuntimeConfig = { [K in keyof typeof twilioRuntimeConfig]: z.infer<(typeof twilioRuntimeConfig)[K]> };

/** Twilio unless told otherwise or missing credentials: then the sandbox. */
export function usesTwilio(provider: 'twilio' | 'sandbox' | undefined, config: TwilioRuntimeConfig): boolean {
  return provider ? provider === 'twilio' : Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN);
}
