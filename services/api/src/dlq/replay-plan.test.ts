import { InvalidInputError, RetryableError } from '@notify/errors';
import type { Dispatch } from '@notify/schemas';
import { planReplay, replayedDispatch } from './replay-plan';

const dispatch: Dispatch = {
  notification_id: 'n1',
  idempotency_key: 'n1',
  event_id: 'e1',
  tenant: 'acme',
  recipient: 'acme/u1',
  user_id: 'u1',
  channel: 'sms',
  type: 'PRICE_ALERT',
  severity: 'info',
  severity_label: 'info',
  template: '',
  priority: 'normal',
  locale: 'en',
  address: '+15550100',
  payload: '{}',
  digest: null,
  attempt: 4,
  not_before: 1_700_000_050_000,
  occurred_at: 1_700_000_000_000,
  created_at: 1_700_000_000_000,
  time_zone: null,
  dedupe_key: null,
  template_version: null,
  replay: 0,
};
const bytes = Buffer.from('avro bytes');
const decodesTo = (value: unknown) => async () => value;

describe('planReplay', () => {
  it("re-runs a dispatch that died on the retry topic on the channel's dispatch topic, keyed by recipient", async () => {
    const entry = { original: bytes, original_topic: 'notifications.retry.sms', original_key: 'n1' };
    expect(await planReplay(entry, decodesTo(dispatch))).toEqual({
      kind: 'dispatch',
      topic: 'notifications.dispatch.sms',
      key: 'acme/u1',
      original: dispatch,
    });
  });

  it('sends the record of any other stage back byte for byte, with its key', async () => {
    const entry = { original: bytes, original_topic: 'notifications.intents', original_key: 'acme/u1' };
    const never = async () => {
      throw new Error('must not decode');
    };
    expect(await planReplay(entry, never)).toEqual({ kind: 'raw', topic: 'notifications.intents', key: 'acme/u1', value: bytes });
  });

  it('refuses what cannot be replayed, and lets a registry outage through for a later try', async () => {
    expect(
      await planReplay({ original: null, original_topic: 'notifications.dispatch.sms', original_key: null }, decodesTo(dispatch)),
    ).toMatchObject({ kind: 'refused', code: 'nothing_to_replay' });
    expect(await planReplay({ original: bytes, original_topic: 'elsewhere', original_key: null }, decodesTo(dispatch))).toMatchObject({
      kind: 'refused',
      code: 'unknown_topic',
    });
    const notAvro = async () => {
      throw new InvalidInputError('undecodable', 'no magic byte');
    };
    expect(
      await planReplay({ original: bytes, original_topic: 'notifications.dispatch.sms', original_key: 'acme/u1' }, notAvro),
    ).toMatchObject({ kind: 'refused', code: 'undecodable' });
    expect(
      await planReplay(
        { original: bytes, original_topic: 'notifications.dispatch.sms', original_key: 'acme/u1' },
        decodesTo({ ...dispatch, channel: 'fax' }),
      ),
    ).toMatchObject({ kind: 'refused', code: 'undecodable' });
    const registryDown = async () => {
      throw new RetryableError('registry_unavailable', 'connection refused');
    };
    await expect(
      planReplay({ original: bytes, original_topic: 'notifications.dispatch.sms', original_key: 'acme/u1' }, registryDown),
    ).rejects.toBeInstanceOf(RetryableError);
  });
});

describe('replayedDispatch', () => {
  it('keeps the message, resets its retries and numbers the replay', () => {
    expect(replayedDispatch(dispatch, 2)).toEqual({ ...dispatch, attempt: 0, not_before: 0, replay: 2 });
  });
});
