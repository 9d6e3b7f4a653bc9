import { sql, type Kysely } from 'kysely';

/**
 * The answer kept for an Idempotency-Key is the JSON text the client was sent, not jsonb: an error
 * message may quote what the client wrote, and jsonb refuses some of it (a lone UTF-16 surrogate, a
 * NUL), which turned a 400 into a 503. As text the replay is also byte for byte the first answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ingest_idempotency alter column response type text using response::text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ingest_idempotency alter column response type jsonb using response::jsonb`.execute(db);
}
