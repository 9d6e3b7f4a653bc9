/**
 * FCM HTTP v1 error answers as outcomes, by status and the FcmError code in `error.details` (never
 * by message text). UNREGISTERED (404) means the app instance is gone: the token is removed. Throttling
 * (429, QUOTA_EXCEEDED) and server errors (UNAVAILABLE, INTERNAL) retry through the retry topic,
 * honouring Retry-After. A request FCM refuses for our credentials (PERMISSION_DENIED,
 * SENDER_ID_MISMATCH, THIRD_PARTY_AUTH_ERROR) is permanent with a reason that says so; a stale access
 * token (401) is retried with a new one.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import { retryAfterMs } from '@notify/provider-http';
import type { TargetOutcome } from '../push-outcome';
import { jsonObject } from './access-token';

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

export interface FcmReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface FcmErrorInfo {
  /** The FcmError code (UNREGISTERED, QUOTA_EXCEEDED...), else the Google status (NOT_FOUND...). */
  code: string | null;
  message: string;
}

export function fcmErrorInfo(reply: FcmReply): FcmErrorInfo {
  const error = jsonObject(reply.text).error;
  if (error === null || typeof error !== 'object') return { code: null, message: reply.text.trim().slice(0, 300) };
  const e = error as { message?: unknown; status?: unknown; details?: unknown };
  const details = Array.isArray(e.details) ? (e.details as Array<Record<string, unknown>>) : [];
  const fcm = details.find((d) => d['@type'] === FCM_ERROR_TYPE && typeof d.errorCode === 'string');
  const code = (fcm?.errorCode as string | undefined) ?? (typeof e.status === 'string' ? e.status : null);
  return { code, message: typeof e.message === 'string' ? e.message : '' };
}

export function fcmOutcome(reply: FcmReply, project: string): TargetOutcome {
  const { code, message } = fcmErrorInfo(reply);
  const errorCode = code ? `fcm_${code.toLowerCase()}` : `http_${reply.status}`;
  const said = `FCM (project ${project}) answered ${reply.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  if (code === 'UNREGISTERED' || (reply.status === 404 && code === 'NOT_FOUND'))
    return { kind: 'gone', statusCode: reply.status, reason: code };
  if (reply.status === 401)
    return { kind: 'retry', error: new RetryableError('fcm_unauthenticated', `${said}; a new access token is fetched for the retry`) };
  if (
    reply.status === 429 ||
    reply.status === 408 ||
    reply.status >= 500 ||
    code === 'QUOTA_EXCEEDED' ||
    code === 'UNAVAILABLE' ||
    code === 'INTERNAL'
  ) {
    const wait = retryAfterMs(reply.headers['retry-after']);
    return { kind: 'retry', error: new RetryableError(errorCode, said, wait === undefined ? {} : { retryAfterMs: wait }) };
  }
  if (reply.status === 403 || code === 'SENDER_ID_MISMATCH' || code === 'THIRD_PARTY_AUTH_ERROR' || code === 'PERMISSION_DENIED') {
    return {
      kind: 'permanent',
      error: new PermanentError(errorCode, `${said} (the credentials in the FCM settings cannot send to this token)`),
    };
  }
  return { kind: 'permanent', error: new PermanentError(errorCode, said) };
}
