/** Rows of phone_verifications. All functions run inside the caller's transaction. */
import { sql } from '@notify/db';
import type { Selectable } from 'kysely';
import type { ContactCipher, PhoneVerificationsTable } from '@notify/db';
import type { Tx } from '../../transaction';

export type VerificationRow = Selectable<PhoneVerificationsTable>;

interface UserRef {
  tenant: string;
  userId: string;
}

/** Rows older than this are deleted when the user starts again; long past any window or expiry. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Ends every pending verification of the user: only the newest code, for the current number, counts. */
export async function supersedePendingVerifications(trx: Tx, user: UserRef, now: number): Promise<void> {
  await trx
    .updateTable('phone_verifications')
    .set({ state: 'superseded', completed_at: new Date(now) })
    .where('tenant', '=', user.tenant)
    .where('user_id', '=', user.userId)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * Serialises starts for one phone number across users and replicas until the transaction ends, so
 * two concurrent starts cannot both count the same free slot.
 */
export async function lockPhoneNumber(trx: Tx, phone: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`phone-verification:${phone}`}, 0))`.execute(trx);
}

export async function recentStartsByUser(trx: Tx, user: UserRef, since: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('phone_verifications')
    .select('created_at')
    .where('tenant', '=', user.tenant)
    .where('user_id', '=', user.userId)
    .where('created_at', '>', new Date(since))
    .execute();
  return rows.map((r) => r.created_at.getTime());
}

export async function recentStartsByPhone(trx: Tx, contacts: ContactCipher, phone: string, since: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('phone_verifications')
    .select('created_at')
    .where(contacts.matches('phone_verifications.phone', phone))
    .where('created_at', '>', new Date(since))
    .execute();
  return rows.map((r) => r.created_at.getTime());
}

export async function deleteOldVerifications(trx: Tx, user: UserRef, now: number): Promise<void> {
  await trx
    .deleteFrom('phone_verifications')
    .where('tenant', '=', user.tenant)
    .where('user_id', '=', user.userId)
    .where('created_at', '<', new Date(now - KEEP_MS))
    .execute();
}

export interface NewVerification {
  id: string;
  phone: string;
  codeHash: Buffer;
  salt: Buffer;
  attempts: number;
  createdAt: number;
  expiresAt: number;
}

/** The phone number is stored sealed (bound to the verification's id) beside its blind index. */
export async function insertVerification(trx: Tx, contacts: ContactCipher, user: UserRef, v: NewVerification): Promise<void> {
  await trx
    .insertInto('phone_verifications')
    .values({
      id: v.id,
      tenant: user.tenant,
      user_id: user.userId,
      phone: contacts.seal('phone_verifications.phone', v.id, v.phone),
      phone_index: contacts.index('phone_verifications.phone', v.phone),
      code_hash: v.codeHash,
      salt: v.salt,
      state: 'pending',
      attempts_left: v.attempts,
      created_at: new Date(v.createdAt),
      expires_at: new Date(v.expiresAt),
    })
    .execute();
}

/** The user's pending verification, locked, so concurrent confirms spend attempts one at a time. */
/** The user's pending verification, its phone number opened; locked until the transaction ends. */
export async function lockPendingVerification(trx: Tx, contacts: ContactCipher, user: UserRef): Promise<VerificationRow | undefined> {
  const row = await trx
    .selectFrom('phone_verifications')
    .selectAll()
    .where('tenant', '=', user.tenant)
    .where('user_id', '=', user.userId)
    .where('state', '=', 'pending')
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row && { ...row, phone: contacts.open('phone_verifications.phone', row.id, row.phone) };
}

export async function spendAttempt(trx: Tx, id: string): Promise<number> {
  const row = await trx
    .updateTable('phone_verifications')
    .set((eb) => ({ attempts_left: eb('attempts_left', '-', 1) }))
    .where('id', '=', id)
    .returning('attempts_left')
    .executeTakeFirstOrThrow();
  return row.attempts_left;
}

export async function markVerified(trx: Tx, id: string, now: number): Promise<void> {
  await trx
    .updateTable('phone_verifications')
    .set({ state: 'verified', completed_at: new Date(now) })
    .where('id', '=', id)
    .execute();
}
