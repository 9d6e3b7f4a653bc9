/**
 * A Recipient record as it goes onto Kafka: every contact point sealed with the user's own data key
 * (PersonalKeys), so erasing the user makes every copy of the record unreadable. The aggregator copies
 * the sealed values into dispatches as they are; only the channel worker that sends opens them.
 * Flags, locale, time zone and audiences stay readable: routing needs them and they reach no one.
 */
import type { PersonalKeys } from '@notify/db';
import type { Recipient } from '@notify/schemas';

export async function sealRecipient(keys: Pick<PersonalKeys, 'sealing'>, record: Recipient): Promise<Recipient> {
  const seal = await keys.sealing(record.tenant, record.user_id);
  const maybe = (value: string | null) => (value === null || value === '' ? value : seal(value));
  return {
    ...record,
    email: maybe(record.email),
    phone: maybe(record.phone),
    push_subscriptions: record.push_subscriptions.map((s) => ({ endpoint: seal(s.endpoint), p256dh: seal(s.p256dh), auth: seal(s.auth) })),
    chat: Object.fromEntries(Object.entries(record.chat).map(([channel, destination]) => [channel, seal(destination)])),
    devices: record.devices.map((d) => ({ ...d, token: seal(d.token) })),
  };
}
