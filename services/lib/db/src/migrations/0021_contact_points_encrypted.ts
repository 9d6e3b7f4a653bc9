import type { Kysely } from 'kysely';

/**
 * Contact points are stored sealed from now on (ContactCipher): the text columns hold
 * `sealed.v1.<kid>.…`, the jsonb columns (user_contacts.chat and push_subscriptions,
 * devices.subscription) a JSON string of that form. The column types stay, so rows written before
 * keep their clear values and the new code reads both; `npm run rekey` seals those rows.
 *
 * Lookups by value move to blind index columns (`<column>_index`, keyed HMAC), null in older rows
 * until rekey fills them (the code falls back to the clear value where the index is null). What is
 * unique per value is now unique per index: a device token per (platform, app_id), an opt-out per
 * channel, a gone endpoint per user. The migration cannot compute an index (it has no key), so these
 * are unique indexes, where the nulls of older rows do not collide.
 *
 * The old keys on the clear columns stay: a sealed value never equals another (random IV), so they
 * constrain nothing new, while replicas of the previous release still run their ON CONFLICT on them
 * during a rolling upgrade, and they serve the clear-value fallback of rows rekey has not reached.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_opt_outs').addColumn('address_index', 'text').execute();
  await db.schema
    .createIndex('channel_opt_outs_address_index')
    .on('channel_opt_outs')
    .columns(['channel', 'address_index'])
    .unique()
    .execute();

  await db.schema.alterTable('devices').addColumn('token_index', 'text').execute();
  await db.schema.createIndex('devices_token_index').on('devices').columns(['platform', 'app_id', 'token_index']).unique().execute();

  await db.schema.alterTable('push_subscription_removals').addColumn('endpoint_index', 'text').execute();
  await db.schema
    .createIndex('push_subscription_removals_endpoint_index')
    .on('push_subscription_removals')
    .columns(['tenant', 'user_id', 'endpoint_index'])
    .unique()
    .execute();

  await db.schema.alterTable('phone_verifications').addColumn('phone_index', 'text').execute();
  await db.schema.createIndex('phone_verifications_phone_index').on('phone_verifications').columns(['phone_index', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Dropping the index columns dropped their indexes; sealed values stay, unreadable to the older code.
  await db.schema.alterTable('phone_verifications').dropColumn('phone_index').execute();
  await db.schema.alterTable('push_subscription_removals').dropColumn('endpoint_index').execute();
  await db.schema.alterTable('devices').dropColumn('token_index').execute();
  await db.schema.alterTable('channel_opt_outs').dropColumn('address_index').execute();
}
