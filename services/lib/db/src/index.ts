export { createDb, migrateToLatest, type Db } from './database';
export { listenForChanges, type ChangeListener, type ChangeListenerOptions } from './listen';
export type { Database, InboxTable, DeliveryClaimsTable } from './schema';
export type { AudienceMembersTable } from './schema';
export type { UserPreferencesTable, UserContactsTable, ContactAudiencesTable, PhoneVerificationsTable } from './schema';
export type { ApiKeysTable, DlqEntriesTable, AuditLogTable, WebhookEndpointHealthTable } from './schema';
export type { DeliveryStatusEventsTable, DeliverySummaryTable } from './schema';
export type { ChannelOutboxTable, ChannelOptOutsTable, ChannelMessagesTable } from './schema';
export type { IngestDedupeTable, IngestIdempotencyTable } from './schema';
export type { DevicesTable, TemplatesTable, UserWebhookSecretsTable, PersonalDataKeysTable } from './schema';
export { sql } from 'kysely';
// Row types are derived from the table interfaces, so services need not restate a table's columns.
export type { Selectable } from 'kysely';
export { firstByKey, TickBatcher, type BatchRun } from './tick-batcher';
export { liveWebhookSecrets } from './user-webhook-secrets';
export { ErasedError, isPersonal, PersonalKeys, PERSONAL_PREFIX, type PersonalKeysOptions } from './personal-keys';
export { CONTACT_TABLES, ContactCipher, type ContactColumn, type ContactTable } from './contact-cipher';
