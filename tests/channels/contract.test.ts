/** The shared provider contract against every adapter of the email, SMS, voice and webhook channels, each with its fake server. */
import { SendGridEmailProvider } from '../../services/channel-email/src/sendgrid-provider';
import { SmtpEmailProvider } from '../../services/channel-email/src/smtp-provider';
import { TwilioSmsProvider } from '../../services/channel-sms/src/twilio-sms-provider';
import { TwilioVoiceProvider } from '../../services/channel-voice/src/twilio-voice-provider';
import { AddressGuard } from '@notify/provider-http';
import { PermanentError } from '@notify/errors';
import { WebhookProvider } from '../../services/channel-webhook/src/webhook-provider';
import { createTwilioClient } from '@notify/channel';
import { sampleDispatch } from '../support/fakes/sample-dispatch';
import { startSendGridFake, sendGridError } from '../support/fakes/sendgrid-fake';
import { smtpReply, startSmtpFake } from '../support/fakes/smtp-fake';
import { startTwilioFake, twilioError, type TwilioFake } from '../support/fakes/twilio-fake';
import { runProviderContract } from '../support/provider-contract';
import { WEBHOOK_SECRET } from '../support/pipeline';
import { startWebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(60_000);

const twilioClient = (fake: TwilioFake) =>
  createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs: 5_000, maxSockets: 16 });
const twilioRateLimited = {
  response: { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '7' } },
  code: 'http_429',
  retryAfterMs: 7_000,
};
const twilioUnavailable = { response: twilioError(503, 20503, 'Service Unavailable'), code: /^http_503$/ };

runProviderContract({
  name: 'twilio sms',
  channel: 'sms',
  address: '+15005550006',
  startFake: () => startTwilioFake(),
  createProvider: (fake) => new TwilioSmsProvider({ client: twilioClient(fake), from: '+15005550001', messagingServiceSid: '' }),
  rateLimited: twilioRateLimited,
  unavailable: twilioUnavailable,
  permanent: {
    response: twilioError(400, 21211, "The 'To' number +15005550006 is not a valid phone number."),
    code: 'twilio_21211',
    reason: /not a valid phone number/,
  },
});

runProviderContract({
  name: 'twilio voice',
  channel: 'voice',
  address: '+15005550006',
  startFake: () => startTwilioFake(),
  createProvider: (fake) => new TwilioVoiceProvider({ client: twilioClient(fake), from: '+15005550001' }),
  rateLimited: twilioRateLimited,
  unavailable: twilioUnavailable,
  permanent: {
    response: twilioError(400, 13224, 'The phone number you are attempting to call is not valid.'),
    code: 'twilio_13224',
    reason: /not valid/,
  },
});

runProviderContract({
  name: 'sendgrid email',
  channel: 'email',
  address: 'trader@example.com',
  startFake: () => startSendGridFake(),
  createProvider: (fake) =>
    new SendGridEmailProvider({ apiKey: fake.apiKey, baseUrl: fake.url, from: 'alerts@example.com', timeoutMs: 5_000 }),
  rateLimited: {
    response: { ...sendGridError(429, 'too many requests'), headers: { 'retry-after': '7' } },
    code: 'http_429',
    retryAfterMs: 7_000,
  },
  unavailable: { response: sendGridError(502, 'bad gateway'), code: /^http_502$/ },
  permanent: {
    response: sendGridError(400, 'Does not contain a valid address.', 'personalizations.0.to.0.email'),
    code: 'http_400',
    reason: /personalizations\.0\.to\.0\.email: Does not contain a valid address/,
  },
});

runProviderContract({
  name: 'smtp email',
  channel: 'email',
  address: 'trader@example.com',
  startFake: () => startSmtpFake(),
  createProvider: (fake) => new SmtpEmailProvider({ url: fake.url, from: 'alerts@example.com', timeoutMs: 5_000, maxConnections: 4 }),
  // SMTP has no Retry-After: a 4xx reply is transient and waits for the policy's delay.
  rateLimited: { response: smtpReply(451, '4.7.1 Too many messages, slow down'), code: 'smtp_451', retryAfterMs: null },
  unavailable: { response: smtpReply(421, '4.3.2 Service not available'), code: /^smtp_421$/ },
  permanent: { response: smtpReply(550, '5.1.1 User unknown'), code: 'smtp_550', reason: /User unknown/ },
});

// The fake is a receiver that checks the Standard Webhooks signature and answers 401 when it does
// not verify, so the contract's success cases also prove the signature verifies end to end.
runProviderContract({
  name: 'signed webhook',
  channel: 'webhook',
  address: null,
  startFake: () => startWebhookReceiver(WEBHOOK_SECRET),
  createProvider: (fake) =>
    new WebhookProvider({
      endpoints: new Map([['default', { url: fake.url, secrets: [WEBHOOK_SECRET] }]]),
      guard: new AddressGuard(['127.0.0.1/32']),
      timeoutMs: 5_000,
      connections: 16,
    }),
  rateLimited: { response: { status: 429, headers: { 'retry-after': '7' } }, code: 'http_429', retryAfterMs: 7_000 },
  unavailable: { response: { status: 503 }, code: /^http_503$/ },
  permanent: { response: { status: 410 }, code: 'http_410', reason: /answered 410/ },
});

describe('signed webhook receiver of the contract', () => {
  it('answers 401 to a webhook signed with a secret it does not know, so a success above means the signature verified', async () => {
    const receiver = await startWebhookReceiver(WEBHOOK_SECRET);
    const otherSecret = `whsec_${Buffer.from('some-other-tenant-secret-32-byte').toString('base64')}`;
    const provider = new WebhookProvider({
      endpoints: new Map([['default', { url: receiver.url, secrets: [otherSecret] }]]),
      guard: new AddressGuard(['127.0.0.1/32']),
      timeoutMs: 5_000,
      connections: 1,
    });
    try {
      const error = await provider.send(sampleDispatch('webhook'), { title: 't', body: 'b', data: {} }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: 'http_401' });
      expect(receiver.received.map((r) => r.verified)).toEqual([false]);
      expect(receiver.accepted).toHaveLength(0);
    } finally {
      await provider.close();
      await receiver.close();
    }
  });
});
