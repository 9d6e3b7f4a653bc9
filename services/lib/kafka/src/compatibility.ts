/**
 * The registry's compatibility level for our value subjects: FULL_TRANSITIVE, so a new schema is
 * accepted only if every older reader can read records written with it and it can read every older
 * record. In Avro that means: add fields only with defaults, never add enum symbols, never remove or
 * rename a field. Provisioning sets the level per subject (Confluent `PUT /config/<subject>`, also
 * served by Apicurio under /apis/ccompat/v7) before any schema is registered, and every process
 * registers expecting that level, so a registry left at another level is refused, not silently used.
 */
import { COMPATIBILITY } from '@kafkajs/confluent-schema-registry';

export const SCHEMA_COMPATIBILITY = COMPATIBILITY.FULL_TRANSITIVE;

/** Credentials in the URL (`https://user:secret@host/...`) become a Basic header: fetch refuses them inline. */
function request(registryUrl: string, path: string): { url: string; headers: Record<string, string> } {
  const url = new URL(registryUrl.replace(/\/+$/, '') + path);
  const headers: Record<string, string> = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (url.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), headers };
}

/** Sets SCHEMA_COMPATIBILITY on each subject, registered yet or not; idempotent. */
export async function setSchemaCompatibility(registryUrl: string, subjects: readonly string[]): Promise<void> {
  await Promise.all(
    subjects.map(async (subject) => {
      const { url, headers } = request(registryUrl, `/config/${encodeURIComponent(subject)}`);
      const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ compatibility: SCHEMA_COMPATIBILITY }) });
      if (!res.ok)
        throw new Error(
          `the schema registry refused compatibility ${SCHEMA_COMPATIBILITY} for ${subject}: ${res.status} ${await res.text()}`,
        );
    }),
  );
}
