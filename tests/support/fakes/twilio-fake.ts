/**
 * A local Twilio REST API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json and Calls.json with
 * form-encoded bodies and Basic auth, answering 201 with the resource JSON (sid, status), and Twilio's
 * error JSON ({code, message, more_info, status}) when scripted to fail. After accepting a message or
 * call with a StatusCallback, it can report a final status there, signed with X-Twilio-Signature.
 */
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { startScriptedFake, type ScriptedHttpFake, type FakeRequest, type ScriptedResponse } from './scripted-http';

export interface TwilioFake extends ScriptedHttpFake {
  accountSid: string;
  authToken: string;
  /** Parsed form bodies of accepted requests. */
  sent(): Array<Record<string, string>>;
  /** Final status to report to StatusCallback after accepting (null: none). */
  reportStatus(status: string | null, errorCode?: string): void;
  /** Resolves callbacks in flight, for tests that wait on them. */
  callbacks: Array<Promise<number>>;
}

export function twilioError(status: number, code: number, message: string): ScriptedResponse {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

export async function startTwilioFake(options: { latencyMs?: number } = {}): Promise<TwilioFake> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  let report: { status: string; errorCode?: string } | null = null;
  const callbacks: Array<Promise<number>> = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const succeed = (request: FakeRequest): ScriptedResponse => {
    const match = PATH.exec(request.path.split('?')[0] ?? '');
    if (request.method !== 'POST' || !match) return twilioError(404, 20404, 'The requested resource was not found');
    if (request.headers.authorization !== expectedAuth || match[1] !== accountSid) return twilioError(401, 20003, 'Authenticate');
    const form = Object.fromEntries(new URLSearchParams(request.body));
    if (!form.To) return twilioError(400, 21604, "A 'To' phone number is required.");
    const isCall = match[2] === 'Calls';
    if (isCall && !form.Twiml && !form.Url) return twilioError(400, 21205, 'Url or Twiml is required');
    if (!isCall && !form.Body) return twilioError(400, 21602, 'Message body is required.');
    const sid = `${isCall ? 'CA' : 'SM'}${randomBytes(16).toString('hex')}`;
    if (report && form.StatusCallback) callbacks.push(sendCallback(form.StatusCallback, isCall, sid, report));
    return {
      status: 201,
      body: { sid, account_sid: accountSid, to: form.To, from: form.From ?? null, status: 'queued', body: form.Body ?? null },
    };
  };

  const sendCallback = async (url: string, isCall: boolean, sid: string, r: { status: string; errorCode?: string }): Promise<number> => {
    await new Promise((res) => setTimeout(res, 50));
    const params: Record<string, string> = isCall
      ? { CallSid: sid, AccountSid: accountSid, CallStatus: r.status }
      : { MessageSid: sid, AccountSid: accountSid, MessageStatus: r.status, ...(r.errorCode ? { ErrorCode: r.errorCode } : {}) };
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return response.status;
  };

  const fake = await startScriptedFake(succeed, options);
  return {
    ...fake,
    accountSid,
    authToken,
    callbacks,
    sent: () => fake.accepted.map((r) => Object.fromEntries(new URLSearchParams(r.body))),
    reportStatus: (status, errorCode) => {
      report = status === null ? null : { status, ...(errorCode ? { errorCode } : {}) };
    },
  };
}
