/** Table types for kysely. Each table is created by a migration in ./migrations. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface InboxTable {
  /** Monotonic cursor for pagination. */
  seq: Generated<string>;
  notification_id: string;
  tenant: string;
  user_id: string;
  event_id: string;
  type: string;
  severity: string;
  title: string;
  body: string;
  data: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
  archived_at: NullableTimestamp;
}

export interface DeliveryClaimsTable {
  idempotency_key: string;
  notification_id: string;
  channel: string;
  /** claimed: provider call may be in progress; sent: done; failed: permanently failed. */
  state: 'claimed' | 'sent' | 'failed';
  attempts: number;
  provider_ref: string | null;
  claimed_at: Timestamp;
  completed_at: NullableTimestamp;
  /** The run that holds the claim (migration 0013): 0 for the original, n for the n-th operator replay. */
  replay: Generated<number>;
}

/** The router's audience index (migration 0002): who belongs to which audience, per tenant. */
export interface AudienceMembersTable {
  tenant: string;
  audience: string;
  user_id: string;
}

/** Migration 0004: a user's preferences as one JSON document (the API validates its shape). */
export interface UserPreferencesTable {
  tenant: string;
  user_id: string;
  document: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

/** Migration 0004: a user's contact points and profile, mirrored by the Recipient record. */
/**
 * Contact points (email, phone, chat, push_subscriptions) are sealed by ContactCipher since migration
 * 0021; rows written before hold them in clear until `npm run rekey`.
 */
export interface UserContactsTable {
  tenant: string;
  user_id: string;
  email: string | null;
  email_verified: ColumnType<boolean, boolean | undefined, boolean>;
  phone: string | null;
  phone_verified: ColumnType<boolean, boolean | undefined, boolean>;
  timezone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string, string | undefined, string>;
  audiences: ColumnType<unknown, string | undefined, string>;
  push_subscriptions: ColumnType<unknown, string | undefined, string>;
  chat: ColumnType<unknown, string | undefined, string>;
  opted_out: ColumnType<unknown, string | undefined, string>;
  updated_at: Timestamp;
  /** Migration 0011: contact points set through the API, rather than adopted from another writer's record. */
  contacts_from_api: ColumnType<boolean, boolean | undefined, boolean>;
}

/** Migration 0011: index of user_contacts.audiences, one row per member, kept by a trigger on user_contacts. */
export interface ContactAudiencesTable {
  tenant: string;
  audience: string;
  user_id: string;
}

/** Migration 0004: one-time phone codes, stored only as salted HMACs. */
export interface PhoneVerificationsTable {
  id: string;
  tenant: string;
  user_id: string;
  /** Sealed (migration 0021); phone_index is its blind index, null in rows rekey has not reached. */
  phone: string;
  phone_index: ColumnType<string | null, string | undefined, string>;
  code_hash: Buffer;
  salt: Buffer;
  state: 'pending' | 'verified' | 'superseded';
  attempts_left: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  completed_at: NullableTimestamp;
}

/** Migration 0003: producer API keys, held only as SHA-256 digests of the key. */
export interface ApiKeysTable {
  id: string;
  tenant: string;
  name: string;
  /** The first characters of the key, so operators can tell keys apart without the secret. */
  key_prefix: string;
  key_hash: string;
  created_by: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

/** Migration 0003: dead letters collected from notifications.dlq by the API, for inspection and replay. */
export interface DlqEntriesTable {
  id: Generated<string>;
  kafka_namespace: string;
  dlq_partition: number;
  dlq_offset: string;
  notification_id: string | null;
  stage: string;
  code: string;
  reason: string;
  attempts: number;
  original_topic: string;
  original_partition: number;
  original_offset: string;
  original_key: string | null;
  original: Buffer | null;
  failed_at: Timestamp;
  received_at: Timestamp;
  /** Whom the dead letter is about (migration 0009), when its record names a person; for data rights. */
  tenant: string | null;
  recipient: string | null;
  replay_count: ColumnType<number, number | undefined, number>;
  replayed_at: NullableTimestamp;
  replayed_by: string | null;
}

/** Migration 0003: who exported or erased whose data, and when. */
export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_tenant: string;
  actor_user_id: string;
  actor_role: string;
  action: string;
  subject_tenant: string;
  subject_user_id: string;
  detail: ColumnType<unknown, string | undefined, string>;
}

/** Migration 0007: every delivery status the tracker read, once per (notification, status, stage). */
export interface DeliveryStatusEventsTable {
  id: Generated<string>;
  notification_id: string;
  event_id: string;
  tenant: string;
  recipient: string | null;
  channel: string | null;
  type: string | null;
  status: string;
  reason: string | null;
  detail: string | null;
  stage: string;
  provider: string | null;
  attempt: number;
  terminal: boolean;
  occurred_at: Timestamp;
  at: Timestamp;
  recorded_at: Generated<Date>;
}

/** Migration 0007: one row per notification with its latest and terminal status (latency_ms is generated). */
export interface DeliverySummaryTable {
  notification_id: string;
  event_id: string;
  tenant: string;
  recipient: string | null;
  channel: string | null;
  type: string | null;
  latest_status: string;
  latest_at: Timestamp;
  terminal_status: string | null;
  reason: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
  terminal_at: NullableTimestamp;
  /** The run the terminal status came from: 0 the original, n the n-th replay (migration 0016). */
  terminal_replay: Generated<number>;
  latency_ms: ColumnType<string | null, never, never>;
  updated_at: Generated<Date>;
}

/** Migration 0005: what sandbox providers "sent", one row per notification. */
export interface ChannelOutboxTable {
  seq: Generated<string>;
  notification_id: string;
  channel: string;
  tenant: string;
  /** Sealed (migration 0021), bound to notification_id. */
  address: string | null;
  subject: string;
  body: string;
  html: string | null;
  payload: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  /** `<tenant>/<user_id>` of the dispatch (migration 0009); null for rows written before it. */
  recipient: string | null;
}

/** Migration 0005: addresses a provider told us no longer accept messages (Twilio 21610, inbound STOP). */
export interface ChannelOptOutsTable {
  channel: string;
  /** Sealed (migration 0021); looked up by address_index, unique per channel. */
  address: string;
  address_index: ColumnType<string | null, string | undefined, string>;
  source: string;
  created_at: Timestamp;
}

/** Migration 0005: messages accepted by a provider that reports delivery later; closed once by feedback. */
export interface ChannelMessagesTable {
  notification_id: string;
  channel: string;
  provider: string;
  provider_ref: string | null;
  event_id: string;
  tenant: string;
  recipient: string;
  type: string;
  attempt: number;
  occurred_at: ColumnType<string, number, number>;
  created_at: Timestamp;
  /** `sent` when the feedback timeout closed it (migration 0012): accepted, outcome never reported. */
  final_status: 'delivered' | 'failed' | 'sent' | null;
  final_reason: string | null;
  closed_at: NullableTimestamp;
  /** The member notifications of a digest (migration 0008), as JSON; null for a single message. */
  digest_members: ColumnType<unknown, string | null | undefined, string | null>;
  /** When the provider accepted it (migration 0012); null while the send is in progress or failed. */
  accepted_at: NullableTimestamp;
  /** The run that sent it (migration 0013): 0 for the original, n for the n-th operator replay. */
  replay: Generated<number>;
}

/** Push subscriptions reported gone by the push service (migration 0006). */
export interface PushSubscriptionRemovalsTable {
  tenant: string;
  user_id: string;
  /** Sealed (migration 0021); endpoint_index is its blind index, unique per user. */
  endpoint: string;
  endpoint_index: ColumnType<string | null, string | undefined, string>;
  status_code: number;
  reason: string;
  notification_id: string;
  removed_at: Timestamp;
}

/** Migration 0010: which event first claimed a dedupe key, per tenant (ingest's de-duplication window). */
export interface IngestDedupeTable {
  tenant: string;
  dedupe_key: string;
  event_id: string;
  claimed_at: Timestamp;
}

/** Migration 0010: answers to HTTP requests with an Idempotency-Key; status and response are null while in flight. */
export interface IngestIdempotencyTable {
  tenant: string;
  key: string;
  request_hash: string;
  status: number | null;
  /** The answer's JSON text (migration 0019; jsonb before). */
  response: string | null;
  created_at: Timestamp;
}

/** Migration 0015: a user's push devices (FCM, APNs, Web Push); one row per (platform, app_id, token). */
export interface DevicesTable {
  device_id: Generated<string>;
  tenant: string;
  user_id: string;
  platform: 'ios' | 'android' | 'web';
  app_id: ColumnType<string, string | undefined, string>;
  /** FCM registration token, APNs device token (hex) or Web Push endpoint; sealed since migration 0021. */
  token: string;
  /** Blind index of the token (migration 0021), unique per (platform, app_id); null until rekey in older rows. */
  token_index: ColumnType<string | null, string | undefined, string>;
  /** A browser's {p256dh, auth} (sealed JSON text since migration 0021); null for native apps. */
  subscription: ColumnType<unknown, string | null | undefined, string | null>;
  /** The app's language when it differs from the user's; null: the user's. */
  locale: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

/** Migration 0018: signing secrets of a user's own webhook endpoint; a rotated one signs until retires_at. */
export interface UserWebhookSecretsTable {
  tenant: string;
  user_id: string;
  secret: string;
  created_at: Timestamp;
  retires_at: NullableTimestamp;
}

/** Migration 0017: a tenant's template versions; at most one active per (tenant, template_id, channel, locale). */
export interface TemplatesTable {
  tenant: string;
  template_id: string;
  /** A channel name, or `all` for every channel. */
  channel: string;
  locale: string;
  version: number;
  /** The template texts by field (title, body, html, item, group, more). */
  fields: ColumnType<Record<string, string>, string, string>;
  created_at: Timestamp;
  created_by: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

/** Migration 0020: a user's own data key (for contact points in Kafka records), wrapped by DATA_KEYS. */
export interface PersonalDataKeysTable {
  key_id: string;
  tenant: string;
  user_id: string;
  wrapped_key: string;
  created_at: Generated<Date>;
}

/** Migration 0022: a tenant webhook endpoint's failures since its last success, and whether it is disabled for them. */
export interface WebhookEndpointHealthTable {
  tenant: string;
  /** Digest of the endpoint's URL (`endpointId` in channel-webhook's endpoints.ts). */
  endpoint: string;
  failing_since: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_error: string | null;
  failures: ColumnType<number, number | undefined, number>;
  disabled_at: NullableTimestamp;
  disabled_reason: string | null;
  enabled_at: NullableTimestamp;
  enabled_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Database {
  inbox: InboxTable;
  delivery_claims: DeliveryClaimsTable;
  audience_members: AudienceMembersTable;
  user_preferences: UserPreferencesTable;
  user_contacts: UserContactsTable;
  contact_audiences: ContactAudiencesTable;
  phone_verifications: PhoneVerificationsTable;
  api_keys: ApiKeysTable;
  dlq_entries: DlqEntriesTable;
  audit_log: AuditLogTable;
  delivery_status_events: DeliveryStatusEventsTable;
  delivery_summary: DeliverySummaryTable;
  channel_outbox: ChannelOutboxTable;
  channel_opt_outs: ChannelOptOutsTable;
  channel_messages: ChannelMessagesTable;
  push_subscription_removals: PushSubscriptionRemovalsTable;
  ingest_dedupe: IngestDedupeTable;
  ingest_idempotency: IngestIdempotencyTable;
  devices: DevicesTable;
  templates: TemplatesTable;
  user_webhook_secrets: UserWebhookSecretsTable;
  personal_data_keys: PersonalDataKeysTable;
  webhook_endpoint_health: WebhookEndpointHealthTable;
}
