import { sql, type Kysely } from 'kysely';

/**
 * Contact points are stored sealed from now on (ContactCipher): the text columns hold
 * `sealed.v1.<kid>.…`, the jsonb columns (user_contacts.chat and push_subscriptions,
 * devices.subscription) a JSON string of that form. The column types stay, so rows written before
 * keep their clear values and the new code reads both; `npm run rekey` seals those rows.
 *
 * Lookups by value move to blind index columns (`<column>_index`, keyed HMAC), null in older rows
 * until rekey fills them (the code falls back to the clear value where the index is null). Unique
 * keys that named a contact point now name its index: the migration cannot compute an index (it has
 * no key), so a primary key on such a column becomes a unique index over the index column, where the
 * nulls of older rows do not collide.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_opt_outs').addColumn('address_index', 'text').execute();
  await db.schema.alterTable('channel_opt_outs').dropConstraint('channel_opt_outs_pk').execute();
  await db.schema.createIndex('channel_opt_outs_address').on('channel_opt_outs').columns(['channel', 'address_index']).unique().execute();
  await db.schema
    .createIndex('channel_opt_outs_legacy')
    .on('channel_opt_outs')
    .columns(['channel', 'address'])
    .where(sql.ref('address_index'), 'is', null)
    .execute();

  await db.schema.alterTable('devices').addColumn('token_index', 'text').execute();
  await db.schema.alterTable('devices').dropConstraint('devices_token_unique').execute();
  await db.schema.createIndex('devices_token_unique').on('devices').columns(['platform', 'app_id', 'token_index']).unique().execute();
  await db.schema
    .createIndex('devices_token_legacy')
    .on('devices')
    .columns(['platform', 'app_id', 'token'])
    .where(sql.ref('token_index'), 'is', null)
    .execute();

  await db.schema.alterTable('push_subscription_removals').addColumn('endpoint_index', 'text').execute();
  await db.schema.alterTable('push_subscription_removals').dropConstraint('push_subscription_removals_pk').execute();
  await db.schema
    .createIndex('push_subscription_removals_endpoint')
    .on('push_subscription_removals')
    .columns(['tenant', 'user_id', 'endpoint_index'])
    .unique()
    .execute();

  await db.schema.alterTable('phone_verifications').addColumn('phone_index', 'text').execute();
  await db.schema.dropIndex('phone_verifications_phone').execute();
  await db.schema.createIndex('phone_verifications_phone').on('phone_verifications').columns(['phone_index', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Only rows still in clear fit the old keys; run down on a database rekey has not sealed.
  await db.schema.dropIndex('phone_verifications_phone').execute();
  await db.schema.alterTable('phone_verifications').dropColumn('phone_index').execute();
  await db.schema.createIndex('phone_verifications_phone').on('phone_verifications').columns(['phone', 'created_at']).execute();

  await db.schema.dropIndex('push_subscription_removals_endpoint').execute();
  await db.schema.alterTable('push_subscription_removals').dropColumn('endpoint_index').execute();
  await db.schema
    .alterTable('push_subscription_removals')
    .addPrimaryKeyConstraint('push_subscription_removals_pk', ['tenant', 'user_id', 'endpoint'])
    .execute();

  await db.schema.dropIndex('devices_token_legacy').execute();
  await db.schema.dropIndex('devices_token_unique').execute();
  await db.schema.alterTable('devices').dropColumn('token_index').execute();
  await db.schema.alterTable('devices').addUniqueConstraint('devices_token_unique', ['platform', 'app_id', 'token']).execute();

  await db.schema.dropIndex('channel_opt_outs_legacy').execute();
  await db.schema.dropIndex('channel_opt_outs_address').execute();
  await db.schema.alterTable('channel_opt_outs').dropColumn('address_index').execute();
  await db.schema.alterTable('channel_opt_outs').addPrimaryKeyConstraint('channel_opt_outs_pk', ['channel', 'address']).execute();
}
