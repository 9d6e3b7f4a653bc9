import { PermanentError, RetryableError } from '@notify/errors';
import { apnsOutcome } from './apns/apns-errors';
import { fcmOutcome } from './fcm/fcm-errors';

const fcm = (status: number, errorCode: string | null, googleStatus: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  text: JSON.stringify({
    error: {
      code: status,
      message: 'm',
      status: googleStatus,
      details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
    },
  }),
});

describe('FCM answers', () => {
  it('calls UNREGISTERED gone', () => {
    expect(fcmOutcome(fcm(404, 'UNREGISTERED', 'NOT_FOUND'), 'p')).toEqual({ kind: 'gone', statusCode: 404, reason: 'UNREGISTERED' });
  });

  it('retries throttling and server errors, honouring Retry-After', () => {
    const quota = fcmOutcome(fcm(429, 'QUOTA_EXCEEDED', 'RESOURCE_EXHAUSTED', { 'retry-after': '30' }), 'p');
    expect(quota).toMatchObject({ kind: 'retry', error: { code: 'fcm_quota_exceeded', retryAfterMs: 30_000 } });
    expect(fcmOutcome(fcm(503, 'UNAVAILABLE', 'UNAVAILABLE'), 'p')).toMatchObject({ kind: 'retry', error: expect.any(RetryableError) });
    expect(fcmOutcome(fcm(500, 'INTERNAL', 'INTERNAL'), 'p')).toMatchObject({ kind: 'retry', error: { code: 'fcm_internal' } });
    expect(fcmOutcome(fcm(401, null, 'UNAUTHENTICATED'), 'p')).toMatchObject({ kind: 'retry', error: { code: 'fcm_unauthenticated' } });
  });

  it('fails for good on requests and credentials FCM refuses, saying so', () => {
    expect(fcmOutcome(fcm(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT'), 'p')).toMatchObject({
      kind: 'permanent',
      error: { code: 'fcm_invalid_argument' },
    });
    const mismatch = fcmOutcome(fcm(403, 'SENDER_ID_MISMATCH', 'PERMISSION_DENIED'), 'p');
    expect(mismatch).toMatchObject({ kind: 'permanent', error: expect.any(PermanentError) });
    expect(mismatch.kind === 'permanent' && mismatch.error.message).toMatch(/credentials in the FCM settings/);
    expect(fcmOutcome({ status: 418, headers: {}, text: 'teapot' }, 'p')).toMatchObject({ kind: 'permanent', error: { code: 'http_418' } });
  });
});

describe('APNs answers', () => {
  const apns = (status: number, reason: string | null, headers: Record<string, string> = {}) =>
    apnsOutcome({ status, headers, reason }, 'com.example.app');

  it('calls 410 and BadDeviceToken gone', () => {
    expect(apns(410, 'Unregistered')).toEqual({ kind: 'gone', statusCode: 410, reason: 'Unregistered' });
    expect(apns(400, 'BadDeviceToken')).toEqual({ kind: 'gone', statusCode: 400, reason: 'BadDeviceToken' });
  });

  it('retries throttling, server errors and an expired provider token', () => {
    expect(apns(429, 'TooManyRequests', { 'retry-after': '5' })).toMatchObject({
      kind: 'retry',
      error: { code: 'apns_too_many_requests', retryAfterMs: 5_000 },
    });
    expect(apns(503, 'ServiceUnavailable')).toMatchObject({ kind: 'retry', error: { code: 'apns_service_unavailable' } });
    expect(apns(403, 'ExpiredProviderToken')).toMatchObject({ kind: 'retry', error: { code: 'apns_expired_provider_token' } });
  });

  it('fails for good on bad credentials, naming the app, and on refused requests', () => {
    const invalid = apns(403, 'InvalidProviderToken');
    expect(invalid).toMatchObject({ kind: 'permanent', error: { code: 'apns_invalid_provider_token' } });
    expect(invalid.kind === 'permanent' && invalid.error.message).toMatch(/key, key id or team id in the settings of com\.example\.app/);
    expect(apns(400, 'DeviceTokenNotForTopic')).toMatchObject({ kind: 'permanent', error: { code: 'apns_device_token_not_for_topic' } });
    expect(apns(413, 'PayloadTooLarge')).toMatchObject({ kind: 'permanent', error: { code: 'apns_payload_too_large' } });
  });
});
