/**
 * The contract every channel adapter must meet, run against the adapter and its fake provider
 * server through the shared channel handler with real Postgres claims (no Kafka needed: the handler's
 * outputs are the records the runner would produce).
 *
 * Usage, in a test file of the broker project:
 *   runProviderContract({ name: 'twilio sms', channel: 'sms', address: '+15005550006',
 *     startFake: startTwilioFake, createProvider: (fake) => new TwilioSmsProvider(...),
 *     rateLimited: twilioError(429, 20429, 'Too Many Requests') + Retry-After, unavailable: {status: 503},
 *     permanent: { response: twilioError(400, 21211, 'Invalid To'), code: 'twilio_21211' } });
 *
 * Cases: success; 429 with Retry-After → retry topic with not_before honouring it; 5xx then success
 * through the retry record; permanent 4xx → dead letter with the provider's reason; retries used up
 * → dead letter; crash between claim and provider answer → never sent twice.
 */
import { randomUUID } from 'node:crypto';
import {
  BUNDLED_TEMPLATES_DIR,
  channelDeadLetter,
  ClaimStore,
  createChannelHandler,
  createChannelMetrics,
  createTemplateRenderer,
  retryPolicyFor,
  TemplateBook,
  type ChannelProvider,
  type RenderedMessage,
} from '@notify/channel';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { Deferral, errorCode, errorMessage, PermanentError } from '@notify/errors';
import { createLogger, createMetrics, type Handler, type HandlerContext, type Output } from '@notify/runner';
import {
  dispatchTopic,
  retryTopic,
  type Channel,
  type DeliveryStatus,
  type Dispatch,
  type DispatchTopic,
  type RetryTopic,
} from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import type { FakeProviderServer, ScriptedResponse } from './fakes/scripted-http';

export interface ProviderContractSubject<F extends FakeProviderServer = FakeProviderServer> {
  /** Shown in test names. */
  name: string;
  channel: Channel;
  /** A valid address for the channel (phone, email, URL) or null when the adapter resolves it. */
  address: string | null;
  startFake(): Promise<F>;
  createProvider(fake: F): ChannelProvider | Promise<ChannelProvider>;
  render?: (dispatch: Dispatch) => RenderedMessage;
  /** A rate-limit answer (HTTP 429 with Retry-After: 7), the code it must map to, and the Retry-After it carries (null: none, e.g. SMTP 451). */
  rateLimited: { response: ScriptedResponse; code: string; retryAfterMs: number | null };
  /** A transient server failure (5xx; SMTP 421) and the code it must map to. */
  unavailable: { response: ScriptedResponse; code: RegExp };
  /** A permanent refusal, the error code the adapter must report and text its reason must contain. */
  permanent: { response: ScriptedResponse; code: string; reason: RegExp };
}

const STATUS = 'notifications.delivery-status';

function statuses(outputs: Output[]): DeliveryStatus[] {
  return outputs.filter((o) => o.topic === STATUS).map((o) => o.value as DeliveryStatus);
}

export function runProviderContract<F extends FakeProviderServer>(subject: ProviderContractSubject<F>): void {
  describe(`provider contract: ${subject.name}`, () => {
    let db: Db;
    let fake: F;
    let provider: ChannelProvider;
    let clock = Date.now();
    const ctx: HandlerContext = { log: createLogger('contract', 'silent'), metrics: createMetrics('contract') };
    const channelMetrics = createChannelMetrics(ctx.metrics.registry);
    const run = randomUUID().slice(0, 8);
    let n = 0;
    // The channel's bundled templates unless the subject brings its own rendering.
    const render = subject.render ?? createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), subject.channel);

    const handler = (): Handler<DispatchTopic | RetryTopic> =>
      createChannelHandler({
        channel: subject.channel,
        provider,
        claims: new ClaimStore(db),
        metrics: channelMetrics,
        render,
        now: () => clock,
        retry: { ...retryPolicyFor(subject.channel), maxRetries: 2, delaysMs: [1_000] },
      });
    const dispatch = (over: Partial<Dispatch> = {}): Dispatch => {
      const id = `ntf_contract_${subject.channel}_${run}_${++n}`;
      return {
        notification_id: id,
        idempotency_key: id,
        event_id: `evt-${id}`,
        tenant: `contract${run}`,
        recipient: `contract${run}/u${n}`,
        user_id: `u${n}`,
        channel: subject.channel,
        type: 'MARGIN_CALL',
        severity: 'critical',
        severity_label: 'critical',
        template: 'risk.margin_call',
        priority: 'high',
        locale: 'en',
        address: subject.address,
        payload: JSON.stringify({ account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' }),
        digest: null,
        attempt: 0,
        not_before: 0,
        replay: 0,
        occurred_at: clock - 1000,
        created_at: clock - 500,
        time_zone: null,
        dedupe_key: null,
        template_version: null,
        ...over,
      };
    };
    const handle = (d: Dispatch, topic: string = dispatchTopic(subject.channel)) =>
      Promise.resolve(
        handler().handle({ topic, partition: 0, offset: '0', key: d.recipient, value: d, headers: {}, timestamp: clock }, ctx),
      );
    const claimState = async (d: Dispatch) =>
      (await db.selectFrom('delivery_claims').select('state').where('idempotency_key', '=', d.idempotency_key).executeTakeFirst())?.state;
    /** What the runner does with a thrown error: the channel's dead-letter policy. */
    const deadLetter = (d: Dispatch, error: unknown) =>
      channelDeadLetter(
        subject.channel,
        provider.name,
      )({
        stage: `channel-${subject.channel}`,
        topic: dispatchTopic(subject.channel),
        partition: 0,
        offset: '0',
        key: d.recipient,
        raw: Buffer.from([0]),
        decoded: d,
        code: errorCode(error),
        reason: errorMessage(error),
        attempts: 1,
      });

    beforeAll(async () => {
      db = createDb(stackEnv(process.env).databaseUrl, 4);
      await migrateToLatest(db);
      fake = await subject.startFake();
      provider = await subject.createProvider(fake);
    });

    afterAll(async () => {
      await provider?.close?.();
      await fake?.close();
      await db?.destroy();
    });

    beforeEach(() => {
      clock = Date.now();
    });

    it('success: the provider receives one request and the claim is marked sent', async () => {
      const d = dispatch();
      const before = fake.accepted.length;
      const outputs = await handle(d);
      expect(fake.accepted.length - before).toBe(1);
      const [status] = statuses(outputs);
      expect(status).toMatchObject({
        notification_id: d.notification_id,
        status: provider.acceptanceIsDelivery ? 'delivered' : 'sent',
        provider: provider.name,
      });
      expect(status?.terminal).toBe(provider.acceptanceIsDelivery);
      expect(await claimState(d)).toBe('sent');
      // Redelivery of the same dispatch reports the same outcome without sending again.
      await handle(d);
      expect(fake.accepted.length - before).toBe(1);
    });

    it('429 with Retry-After: goes to the retry topic, due no earlier than Retry-After, claim released', async () => {
      fake.failNext(subject.rateLimited.response);
      const d = dispatch();
      const outputs = await handle(d);
      const retry = outputs.find((o) => o.topic === retryTopic(subject.channel));
      expect(retry?.key).toBe(d.notification_id);
      expect(retry?.value).toMatchObject({
        notification_id: d.notification_id,
        attempt: 1,
        not_before: clock + (subject.rateLimited.retryAfterMs ?? 1_000),
      });
      expect(statuses(outputs)).toEqual([
        expect.objectContaining({ status: 'retrying', reason: subject.rateLimited.code, terminal: false }),
      ]);
      expect(await claimState(d)).toBeUndefined();
    });

    it('5xx then success: the retry record is held until due, then delivered once', async () => {
      fake.failNext(subject.unavailable.response);
      const d = dispatch();
      const before = fake.accepted.length;
      const first = await handle(d);
      const retry = first.find((o) => o.topic === retryTopic(subject.channel))?.value as Dispatch;
      expect(retry).toMatchObject({ attempt: 1, not_before: clock + 1_000 });
      expect(statuses(first)[0]).toMatchObject({ status: 'retrying', reason: expect.stringMatching(subject.unavailable.code) });
      // Not due yet: the handler asks the runner to wait (bounded) instead of sending early.
      const early = await handle(retry, retryTopic(subject.channel)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(early).toBeInstanceOf(Deferral);
      expect(early).toMatchObject({ untilMs: clock + 1_000 });
      expect(fake.accepted.length).toBe(before);
      clock += 1_000;
      const second = await handle(retry, retryTopic(subject.channel));
      expect(statuses(second)[0]).toMatchObject({ status: provider.acceptanceIsDelivery ? 'delivered' : 'sent', attempt: 1 });
      expect(fake.accepted.length - before).toBe(1);
    });

    it("permanent 4xx: dead-lettered with the provider's reason, claim failed", async () => {
      fake.failNext(subject.permanent.response);
      const d = dispatch();
      const error = await handle(d).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: subject.permanent.code });
      expect(errorMessage(error)).toMatch(subject.permanent.reason);
      const letters = deadLetter(d, error);
      expect(letters.find((o) => o.topic === 'notifications.dlq')?.value).toMatchObject({
        notification_id: d.notification_id,
        code: subject.permanent.code,
        attempts: 1,
      });
      expect(statuses(letters)).toEqual([
        expect.objectContaining({ status: 'dead_lettered', reason: subject.permanent.code, terminal: true }),
      ]);
      expect(await claimState(d)).toBe('failed');
    });

    it('retries used up: the last retryable failure is dead-lettered, not retried again', async () => {
      fake.failNext(subject.unavailable.response);
      const d = dispatch({ attempt: 2 });
      const error = await handle(d).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentError);
      expect(errorMessage(error)).toMatch(/after 3 attempts/);
      expect(deadLetter(d, error).find((o) => o.topic === 'notifications.dlq')?.value).toMatchObject({ attempts: 3 });
      expect(await claimState(d)).toBe('failed');
    });

    it('crash between claim and provider answer: the redelivered dispatch is not sent twice', async () => {
      fake.hangNext();
      const d = dispatch();
      const requestsBefore = fake.requests.length;
      const acceptedBefore = fake.accepted.length;
      // The first worker claims and calls the provider, which never answers: the worker "dies" here.
      const abandoned = handle(d).catch(() => undefined);
      const deadline = Date.now() + 10_000;
      while (fake.requests.length === requestsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(fake.requests.length - requestsBefore).toBe(1);
      // A new worker (new handler, new claim store) gets the same dispatch again.
      const outputs = await handle(d);
      if (provider.dedupesByIdempotencyKey) {
        // The provider drops repeats by our key, so sending again is safe and is what happens.
        expect(statuses(outputs)[0]?.status).toMatch(/^(delivered|sent)$/);
      } else {
        expect(fake.requests.length - requestsBefore).toBe(1);
        expect(fake.accepted.length).toBe(acceptedBefore);
        expect(statuses(outputs)).toEqual([expect.objectContaining({ status: 'failed', reason: 'delivery_in_doubt', terminal: true })]);
        expect(await claimState(d)).toBe('failed');
      }
      void abandoned;
    });
  });
}
