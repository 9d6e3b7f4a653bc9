import { deadLetterSubject } from './dead-letter-subject';
import type { DeadLetter } from '@notify/schemas';

const base: DeadLetter = {
  notification_id: 'n1',
  stage: 'channel-email',
  code: 'http_400',
  reason: 'bad',
  attempts: 1,
  original_topic: 'notifications.dispatch.email',
  original_partition: 0,
  original_offset: '7',
  original_key: 'acme/u1',
  original: Buffer.from('x'),
  failed_at: 0,
} as DeadLetter;
const never = async () => {
  throw new Error('must not decode');
};

describe('deadLetterSubject', () => {
  it('names the person of a user-keyed topic by its key', async () => {
    expect(await deadLetterSubject(base, never)).toEqual({ tenant: 'acme', recipient: 'acme/u1' });
  });

  it('reads the recipient from a dispatch on a retry topic, keyed by notification id', async () => {
    const d = { ...base, original_topic: 'notifications.retry.email', original_key: 'n1' };
    expect(await deadLetterSubject(d, async () => ({ recipient: 'acme/u2', tenant: 'acme' }))).toEqual({
      tenant: 'acme',
      recipient: 'acme/u2',
    });
  });

  it('names the tenant alone of an event, which is about no one person', async () => {
    const event = { ...base, original_topic: 'notifications.accepted', original_key: 'evt-1' };
    expect(await deadLetterSubject(event, async () => ({ event_id: 'evt-1', tenant: 'acme' }))).toEqual({
      tenant: 'acme',
      recipient: null,
    });
  });

  it('names no one for undecodable records, records without a tenant and unknown topics', async () => {
    const retry = { ...base, original_topic: 'notifications.retry.sms', original_key: 'n1' };
    expect(
      await deadLetterSubject(retry, async () => {
        throw new Error('not avro');
      }),
    ).toBeNull();
    expect(
      await deadLetterSubject({ ...base, original_topic: 'notifications.events', original_key: 'evt-1' }, async () => {
        throw new Error('not avro');
      }),
    ).toBeNull();
    expect(await deadLetterSubject({ ...base, original_topic: 'notifications.events', original: null }, never)).toBeNull();
    expect(await deadLetterSubject({ ...base, original_topic: 'elsewhere' }, never)).toBeNull();
    expect(await deadLetterSubject({ ...base, original_key: null }, never)).toBeNull();
  });
});
