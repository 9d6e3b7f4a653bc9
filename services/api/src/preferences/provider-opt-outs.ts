/**
 * Channels a provider reports this person's address opted out of: Twilio error 21610 or an inbound
 * STOP for the phone, a SendGrid unsubscribe for the email. The channel workers record these by
 * address in channel_opt_outs and refuse to send; the API, which owns recipient records, shows them in
 * `opted_out` and carries them in the next Recipient record, so the aggregator decides with them too.
 * A START (or the address changing) clears them the same way.
 */
import type { ContactCipher, Db } from '@notify/db';
import type { ContactsDocument } from './contacts-document';
import type { Tx } from '../transaction';

export async function withProviderOptOuts(db: Db | Tx, contacts: ContactCipher, document: ContactsDocument): Promise<ContactsDocument> {
  const addresses: Array<[string, string]> = [];
  if (document.phone) addresses.push(['sms', document.phone], ['voice', document.phone]);
  if (document.email) addresses.push(['email', document.email]);
  if (addresses.length === 0) return document.opted_out.length === 0 ? document : { ...document, opted_out: [] };
  const rows = await db
    .selectFrom('channel_opt_outs')
    .select('channel')
    .where((eb) =>
      eb.or(
        addresses.map(([channel, address]) => eb.and([eb('channel', '=', channel), contacts.matches('channel_opt_outs.address', address)])),
      ),
    )
    .execute();
  const optedOut = [...new Set(rows.map((r) => r.channel))].sort();
  return { ...document, opted_out: optedOut };
}
