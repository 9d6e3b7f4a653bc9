/**
 * The callback side of a Twilio channel worker (SMS, voice): a feedback server with the status route
 * and, when the worker keeps opt-outs, the inbound (STOP) route. Twilio signs the full URL it calls,
 * so without a configured public URL it is the local one, known once the server listens.
 */
import type { Logger } from '@notify/runner';
import type { Dispatch } from '@notify/schemas';
import { startFeedbackServer, type FeedbackRoute } from '../feedback-server';
import type { MessageCloser } from '../message-closer';
import type { OptOutStore } from '../opt-outs';
import { twilioInboundRoute, twilioStatusRoute } from './feedback';

export interface TwilioCallbacksOptions {
  port: number;
  /** Public origin Twilio calls; empty: http://127.0.0.1:<port>. */
  publicUrl: string;
  authToken: string;
  /** Closes notifications on status reports, publishing and counting each once. */
  closer: Pick<MessageCloser, 'report'>;
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
  const deps = { authToken: options.authToken, publicUrl: '', closer: options.closer };
  const routes: Record<string, FeedbackRoute> = { '/twilio/status': (request) => twilioStatusRoute(deps)(request) };
  if (optOuts) routes['/twilio/inbound'] = (request) => twilioInboundRoute({ ...deps, optOuts })(request);
  const server = await startFeedbackServer(options.port, routes, (error) => log.error({ err: error }, 'twilio callback failed'));
  deps.publicUrl = options.publicUrl || `http://127.0.0.1:${server.port}`;
  log.info(
    { feedbackPort: server.port, publicUrl: deps.publicUrl },
    `twilio callbacks: ${Object.keys(routes)
      .map((path) => `POST ${path}`)
      .join(', ')}`,
  );
  return {
    statusCallback: (dispatch) => `${deps.publicUrl}/twilio/status?n=${encodeURIComponent(dispatch.notification_id)}`,
    close: () => server.close(),
  };
}
