/**
 * The API's consumer of notifications.recipients (its own group, on the shared runner). Records the
 * API wrote itself (header notify-writer: api) are skipped; another writer's record is adopted into
 * the user's user_contacts row (see adopt-record.ts), so the API's next record of that user, for a
 * contact change, an unsubscribe or a membership change, carries what the other writer said instead of
 * overwriting it.
 *
 * A tombstone, from any writer, deletes the user's row (and so their memberships) unless the row
 * changed after the tombstone was written, and with it their device rows. The API's own erasure
 * tombstones come here too: erasure deletes the row itself, but a record of another writer read just
 * before the tombstone could have been adopted after that delete, and this takes it out again.
 */
import { InvalidInputError, RetryableError, errorMessage } from '@notify/errors';
import type { Handler, InputRecord, Output } from '@notify/runner';
import { recipientKey, splitRecipientKey, type Recipient } from '@notify/schemas';
import { lockContactRows, publishContactRows, writeContactRows } from '../preferences/contact-rows';
import { liveDevicesOf, replaceDevices } from '../devices/device-rows';
import { registrationsOf, withDevices } from '../devices/device-document';
import { republishUsers } from '../devices/republish-users';
import type { ResolvedDeps } from '../preferences/deps';
import { writtenByApi } from '../kafka/writer-header';
import { adoptRecord, sameContacts } from './adopt-record';

export const RECIPIENT_ADOPTION_STAGE = 'api-recipients';

export type AdopterDeps = Pick<ResolvedDeps, 'db' | 'contacts' | 'send' | 'codec' | 'personal'>;

export function createRecipientAdopter(deps: AdopterDeps): Handler<'notifications.recipients'> {
  return {
    async handle(record: InputRecord<Recipient>): Promise<Output[]> {
      if (writtenByApi(record.headers)) return [];
      const recipient = record.value;
      if (record.key !== recipientKey(recipient.tenant, recipient.user_id)) {
        throw new InvalidInputError(
          'recipient_key_mismatch',
          `key ${String(record.key)} does not name ${recipient.tenant}/${recipient.user_id}`,
        );
      }
      await unavailableIsRetryable(() => adopt(deps, recipient, record.timestamp));
      return [];
    },

    async handleTombstone(record: InputRecord<null>): Promise<Output[]> {
      const user = userOfKey(record.key);
      await unavailableIsRetryable(() =>
        deps.db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom('user_contacts')
            .where('tenant', '=', user.tenant)
            .where('user_id', '=', user.userId)
            .where('updated_at', '<=', new Date(record.timestamp))
            .execute();
          // Device rows are the user's too: a forgotten user's tokens must not stay listed, exported or
          // taken over. They stay only with a row that changed after the tombstone (the user came back).
          await trx
            .deleteFrom('devices')
            .where('tenant', '=', user.tenant)
            .where('user_id', '=', user.userId)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('user_contacts')
                    .select('user_id')
                    .where('user_contacts.tenant', '=', user.tenant)
                    .where('user_contacts.user_id', '=', user.userId),
                ),
              ),
            )
            .execute();
        }),
      );
      return [];
    },
  };
}

async function adopt(deps: AdopterDeps, recipient: Recipient, writtenAt: number): Promise<void> {
  // updated_at is the other writer's own clock in the value; the record's Kafka timestamp orders it against the row.
  const { tenant, user_id: userId, updated_at: _writersClock, ...foreign } = recipient;
  await deps.db.transaction().execute(async (trx) => {
    // A user the API never saw gets a row as old as can be, so the record is newer than it.
    const stored = (await lockContactRows(trx, deps.contacts, tenant, [userId], 0)).get(userId);
    if (!stored) throw new Error(`user_contacts row of ${tenant}/${userId} missing right after its insert`);
    const adoption = adoptRecord(stored, foreign, writtenAt);
    let { document, republish } = adoption;
    if (adoption.changed && !stored.contactsFromApi) {
      // The other writer's devices become the user's rows; tokens another user held move here.
      const previousHolders = await replaceDevices(trx, deps.contacts, tenant, userId, registrationsOf(document));
      document = withDevices(document, (await liveDevicesOf(trx, deps.contacts, tenant, [userId])).get(userId) ?? []);
      republish = republish || !sameContacts(document, adoption.document);
      await republishUsers(deps, trx, previousHolders, writtenAt);
    }
    const row = { userId, document, updatedAt: adoption.updatedAt };
    if (adoption.changed) await writeContactRows(trx, deps.contacts, tenant, [row]);
    if (republish) await publishContactRows(deps, tenant, [row]);
  });
}

function userOfKey(key: string | null): { tenant: string; userId: string } {
  try {
    if (key === null) throw new Error('no key');
    return splitRecipientKey(key);
  } catch {
    throw new InvalidInputError('recipient_key_invalid', `tombstone key ${String(key)} is not <tenant>/<user_id>`);
  }
}

/** Postgres or Kafka being unavailable holds the partition and retries; the record is never skipped. */
async function unavailableIsRetryable(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw new RetryableError('recipient_store_unavailable', `recipient record not adopted: ${errorMessage(error)}`, { cause: error });
  }
}
