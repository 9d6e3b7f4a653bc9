/**
 * A local SendGrid v3 API: POST /v3/mail/send with a Bearer key and a JSON body, answering 202 with
 * X-Message-Id (as SendGrid does) or SendGrid's error JSON ({errors: [{message, field}]}). It can also
 * post signed event webhook batches (ECDSA P-256 over timestamp + body) to the worker's endpoint.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { startScriptedFake, type ScriptedHttpFake, type FakeRequest, type ScriptedResponse } from './scripted-http';

export interface SendGridMail {
  personalizations: Array<{ to: Array<{ email: string }> }>;
  from: { email: string };
  subject: string;
  content: Array<{ type: string; value: string }>;
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
}

export interface SendGridFake extends ScriptedHttpFake {
  apiKey: string;
  /** Verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo. */
  webhookPublicKey: string;
  mails(): SendGridMail[];
  /** Posts events to an event webhook URL, signed like SendGrid; returns the HTTP status. */
  postEvents(url: string, events: object[], options?: { tamper?: boolean }): Promise<number>;
}

export function sendGridError(status: number, message: string, field: string | null = null): ScriptedResponse {
  return { status, body: { errors: [{ message, field, help: null }] } };
}

export async function startSendGridFake(options: { latencyMs?: number } = {}): Promise<SendGridFake> {
  const apiKey = `SG.${randomBytes(8).toString('hex')}.${randomBytes(16).toString('hex')}`;
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const succeed = (request: FakeRequest): ScriptedResponse => {
    if (request.method !== 'POST' || request.path !== '/v3/mail/send') return sendGridError(404, 'not found');
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return sendGridError(401, 'The provided authorization grant is invalid, expired, or revoked');
    const mail = JSON.parse(request.body) as SendGridMail;
    if (!mail.personalizations?.[0]?.to?.[0]?.email)
      return sendGridError(400, 'The to array is required for all personalization objects', 'personalizations.0.to');
    return { status: 202, headers: { 'x-message-id': randomBytes(11).toString('base64url') } };
  };
  const fake = await startScriptedFake(succeed, options);
  return {
    ...fake,
    apiKey,
    webhookPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    mails: () => fake.accepted.map((r) => JSON.parse(r.body) as SendGridMail),
    postEvents: async (url, events, opts = {}) => {
      const body = JSON.stringify(events);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twilio-email-event-webhook-signature': signature,
          'x-twilio-email-event-webhook-timestamp': timestamp,
        },
        body: opts.tamper ? body.replace('delivered', 'bounce') : body,
      });
      return response.status;
    },
  };
}
