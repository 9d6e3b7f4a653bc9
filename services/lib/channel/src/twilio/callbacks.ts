/**
 * The callback side of a Twilio channel worker (SMS, voice): a status publisher and a feedback server
 * with the status route and, when the worker keeps opt-outs, the inbound (STOP) route. Twilio signs
 * the full URL it calls, so without a configured public URL it is the local one, known once the
 * server listens.
 */
import type { AvroCodec, KafkaPort } from '@notify/kafka';
import type { Logger } from '@notify/runner';
import type { Dispatch } from '@notify/schemas';
import { startFeedbackServer, type FeedbackRoute } from '../feedback-server';
import type { MessageLog } from '../message-log';
import type { OptOutStore } from '../opt-outs';
import { StatusPublisher } from '../status-publisher';
import { twilioInboundRoute, twilioStatusRoute } from './feedback';

export interface TwilioCallbacksOptions {
  kafka: KafkaPort;
  codec: AvroCodec;
  port: number;
  /** Public origin Twilio calls; empty: http://127.0.0.1:<port>. */
  publicUrl: string;
  authToken: string;
  messages: MessageLog;
  /** When given, inbound STOP/START messages opt numbers out and in (POST /twilio/inbound). */
  optOuts?: OptOutStore;
  log: Logger;
}

export interface TwilioCallbacks {
  /** The StatusCallback URL of one dispatch. */
  statusCallback(dispatch: Dispatch): string;
  close(): Promise<void>;
}

export async function startTwilioCallbacks(options: TwilioCallbacksOptions): Promise<TwilioCallbacks> {
  const { log, optOuts } = options;
  const publisher = new StatusPublisher(options.kafka, options.codec);
  await publisher.start();
  const deps = { authToken: options.authToken, publicUrl: '', messages: options.messages, publisher };
  const routes: Record<string, FeedbackRoute> = { '/twilio/status': (request) => twilioStatusRoute(deps)(request) };
  if (optOuts) routes['/twilio/inbound'] = (request) => twilioInboundRoute({ ...deps, optOuts })(request);
  const server = await startFeedbackServer(options.port, routes, (error) => log.error({ err: error }, 'twilio callback failed'));
  deps.publicUrl = options.publicUrl || `http://127.0.0.1:${server.port}`;
  log.info({ feedbackPort: server.port, publicUrl: deps.publicUrl }, `twilio callbacks: ${Object.keys(routes).map((path) => `POST ${path}`).join(', ')}`);
  return {
    statusCallback: (dispatch) => `${deps.publicUrl}/twilio/status?n=${encodeURIComponent(dispatch.notification_id)}`,
    close: async () => {
      await server.close();
      await publisher.stop();
    },
  };
}
