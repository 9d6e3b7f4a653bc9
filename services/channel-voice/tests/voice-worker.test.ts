/**
 * The voice worker as deployed (its main()), on real Kafka and Postgres, with the `twilio` package
 * against a local fake Twilio: a call is `sent` when Twilio accepts it, and the signed call status
 * callback closes it: `completed` as delivered; `no-answer`, `busy` and `failed` as failed with the
 * call status as the reason. A number that is not E.164 is dead-lettered without calling Twilio.
 */
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { startTwilioFake, type TwilioFake } from '../../../tests/support/fakes/twilio-fake';
import { main } from '../src/main';

jest.setTimeout(120_000);

describe('channel-voice worker with Twilio', () => {
  let fake: TwilioFake;
  let rig: ChannelWorkerRig;
  const tenant = `voice-${Date.now()}`;
  let n = 0;
  const phone = () => `+1555010${String(++n).padStart(4, '0')}`;

  beforeAll(async () => {
    fake = await startTwilioFake();
    // FEEDBACK_PORT 0: the callback server picks a port and the StatusCallback URL names it.
    rig = await startChannelWorker('voice', main, {
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: '+15005550001',
      TWILIO_BASE_URL: fake.url,
      FEEDBACK_PORT: '0',
    });
  });
  afterAll(async () => {
    fake?.reportStatus(null);
    await rig?.stop();
    await fake?.close();
  });

  const callTo = (to: string) => fake.sent().find((c) => c.To === to);

  it('places the call and closes it delivered when the signed status callback reports completed', async () => {
    fake.reportStatus('completed');
    const to = phone();
    const d = sampleDispatch('voice', { tenant, address: to });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => [s.status, s.reason])).toEqual([
      ['sent', null],
      ['delivered', null],
    ]);
    expect(statuses[1]).toMatchObject({
      provider: 'twilio',
      stage: 'channel-voice',
      channel: 'voice',
      terminal: true,
      detail: 'twilio reported completed',
    });
    const call = callTo(to);
    expect(call?.Twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say language="en-US">/);
    expect(call?.StatusCallback).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/twilio/status\\?n=${d.notification_id}$`));
  });

  it.each(['no-answer', 'busy', 'failed'])('closes the call failed when the status callback reports %s', async (callStatus) => {
    fake.reportStatus(callStatus);
    const d = sampleDispatch('voice', { tenant, address: phone() });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => [s.status, s.reason])).toEqual([
      ['sent', null],
      ['failed', callStatus],
    ]);
    expect(statuses[1]).toMatchObject({ provider: 'twilio', terminal: true, detail: `twilio reported ${callStatus}` });
  });

  it('dead-letters a number that is not E.164 as invalid_address without calling Twilio', async () => {
    fake.reportStatus(null);
    const before = fake.requests.length;
    const d = sampleDispatch('voice', { tenant, address: '0044 20 7946 0000' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'invalid_address']]);
    expect(await rig.deadLetter(d.notification_id)).toMatchObject({
      stage: 'channel-voice',
      code: 'invalid_address',
      reason: '0044 20 7946 0000 is not an E.164 phone number',
    });
    expect(fake.requests.length).toBe(before);
  });
});
