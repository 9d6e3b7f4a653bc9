/**
 * A transaction on the notifications database. Its own module because stores of several features
 * (contacts, devices, verification) take one, and none of them should have to import another's store for it.
 */
import type { Database } from '@notify/db';
import type { Transaction } from 'kysely';

export type Tx = Transaction<Database>;
