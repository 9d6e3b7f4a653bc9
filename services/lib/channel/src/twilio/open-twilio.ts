/**
 * The Twilio side of the SMS and voice workers: a REST client sized to the worker's concurrency and
 * the callback server that turns status callbacks (and, with opt-outs, inbound STOP) into statuses.
 */
import type twilio from 'twilio';
import type { ChannelProcess } from '../channel-process';
import type { OptOutStore } from '../opt-outs';
import { startTwilioCallbacks, type TwilioCallbacks } from './callbacks';
import { createTwilioClient } from './client';
import type { TwilioRuntimeConfig } from './twilio-config';

export interface OpenTwilio {
  client: twilio.Twilio;
  callbacks: TwilioCallbacks;
}

export async function openTwilio(
  process: ChannelProcess,
  config: TwilioRuntimeConfig & { WORKER_CONCURRENCY: number; PARTITIONS_CONCURRENTLY: number },
  stores: { optOuts?: OptOutStore } = {},
): Promise<OpenTwilio> {
  const callbacks = await startTwilioCallbacks({
    port: config.FEEDBACK_PORT,
    publicUrl: config.FEEDBACK_PUBLIC_URL,
    authToken: config.TWILIO_AUTH_TOKEN,
    closer: await process.closer(),
    optOuts: stores.optOuts,
    log: process.log,
  });
  const client = createTwilioClient({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    baseUrl: config.TWILIO_BASE_URL,
    timeoutMs: config.TWILIO_TIMEOUT_MS,
    // Every call the worker may have in flight gets a socket.
    maxSockets: config.WORKER_CONCURRENCY * config.PARTITIONS_CONCURRENTLY,
  });
  return { client, callbacks };
}
