/**
 * A user's push devices as rows: native apps (FCM on Android, APNs on iOS) and browsers (Web Push).
 * The API registers, lists and removes them and carries them in the Recipient record; channel-push
 * deletes a row whose token the push service reports gone. One token belongs to one user: the unique
 * (platform, app_id, token) is what lets a second user registering the same phone take it over.
 *
 * `token` is the FCM registration token, the APNs device token (hex) or the Web Push endpoint URL;
 * `subscription` holds a browser's encryption keys ({p256dh, auth}) and is null for native apps.
 * `locale` is the app's language when it differs from the user's (null: the user's).
 *
 * Existing browser subscriptions (user_contacts.push_subscriptions) become web devices, except those
 * the push service already reported gone. The column stays: migrations here are additive, and
 * replicas of the previous release still read it during a rollout (the API keeps it in step).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('device_id', 'text', (c) => c.primaryKey().defaultTo(sql`'dev_' || replace(gen_random_uuid()::text, '-', '')`))
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull().check(sql`platform in ('ios', 'android', 'web')`))
    .addColumn('app_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('subscription', 'jsonb')
    .addColumn('locale', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addUniqueConstraint('devices_token_unique', ['platform', 'app_id', 'token'])
    .execute();
  await db.schema.createIndex('devices_by_user').on('devices').columns(['tenant', 'user_id']).execute();
  await sql`
    INSERT INTO devices (tenant, user_id, platform, app_id, token, subscription)
    SELECT u.tenant, u.user_id, 'web', '', s->>'endpoint', jsonb_build_object('p256dh', s->>'p256dh', 'auth', s->>'auth')
    FROM user_contacts AS u, jsonb_array_elements(u.push_subscriptions) WITH ORDINALITY AS e(s, n)
    WHERE jsonb_typeof(s->'endpoint') = 'string'
      AND NOT EXISTS (
        SELECT 1 FROM push_subscription_removals AS r
        WHERE r.tenant = u.tenant AND r.user_id = u.user_id AND r.endpoint = s->>'endpoint')
    ORDER BY u.updated_at, n
    ON CONFLICT (platform, app_id, token) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('devices').execute();
}
