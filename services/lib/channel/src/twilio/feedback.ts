/**
 * Twilio callbacks: message and call status reports (StatusCallback) and inbound messages (STOP).
 * Every request must carry a valid X-Twilio-Signature for the URL Twilio called, computed with our
 * auth token by the `twilio` package; anything else is refused with 403.
 */
import twilio from 'twilio';
import type { FeedbackRequest, FeedbackResponse, FeedbackRoute } from '../feedback-server';
import type { MessageCloser } from '../message-closer';
import type { FinalStatus } from '../message-log';
import type { OptOutStore } from '../opt-outs';

export interface TwilioFeedbackDeps {
  authToken: string;
  /** Public origin Twilio calls, e.g. https://hooks.example.com; signatures cover the full URL. */
  publicUrl: string;
  /** Closes the notification (publishing and counting it) unless a report or the timeout closed it before. */
  closer: Pick<MessageCloser, 'report'>;
}

/** Message statuses (MessageStatus) and call statuses (CallStatus) that end a notification. */
const FINAL: Record<string, FinalStatus> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  completed: 'delivered',
  busy: 'failed',
  'no-answer': 'failed',
  canceled: 'failed',
};

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES']);

function signedParams(request: FeedbackRequest, deps: { authToken: string; publicUrl: string }): Record<string, string> | undefined {
  const params = Object.fromEntries(new URLSearchParams(request.body));
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string') return undefined;
  const url = new URL(request.url, deps.publicUrl).href;
  return twilio.validateRequest(deps.authToken, signature, url, params) ? params : undefined;
}

const forbidden: FeedbackResponse = { status: 403, contentType: 'text/plain', body: 'invalid signature' };

export function twilioStatusRoute(deps: TwilioFeedbackDeps): FeedbackRoute {
  return async (request) => {
    const params = signedParams(request, deps);
    if (!params) return forbidden;
    const notificationId = new URL(request.url, deps.publicUrl).searchParams.get('n');
    const reported = params.MessageStatus ?? params.CallStatus ?? '';
    const final = Object.hasOwn(FINAL, reported) ? FINAL[reported] : undefined;
    if (!notificationId || !final) return { status: 204 };
    const errorCode = params.ErrorCode ? `twilio_${params.ErrorCode}` : null;
    const reason = final === 'failed' ? (errorCode ?? reported) : null;
    // Unknown or already closed (a repeated report, or one after the timeout): nothing is published,
    // and the 204 tells Twilio to stop sending it.
    await deps.closer.report(notificationId, final, reason, `twilio reported ${reported}`);
    return { status: 204 };
  };
}

/** Inbound SMS: STOP-like keywords opt the sender out of SMS; START-like ones opt back in. */
export function twilioInboundRoute(deps: { authToken: string; publicUrl: string; optOuts: OptOutStore }): FeedbackRoute {
  return async (request) => {
    const params = signedParams(request, deps);
    if (!params) return forbidden;
    const from = params.From;
    const word = (params.Body ?? '').trim().toUpperCase();
    if (from && STOP_WORDS.has(word)) await deps.optOuts.add('sms', from, 'inbound_stop');
    if (from && START_WORDS.has(word)) await deps.optOuts.remove('sms', from);
    return { status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };
  };
}
