/**
 * The registry's compatibility level against the real registry: provisioning leaves every value
 * subject at FULL_TRANSITIVE, under which a field added with a default registers (the `replay` field
 * of DeliveryStatus and Dispatch, over their versions without it) and an added enum symbol or a field
 * without a default is refused. Probe subjects carry the run's id and are deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { SCHEMA_COMPATIBILITY, setSchemaCompatibility } from '@notify/kafka';
import { schemaText, TOPICS, valueSubject, type SchemaName } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';

const { registryUrl } = stackEnv(process.env);
const RUN = randomUUID().slice(0, 8);
const CONTENT = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

async function registry(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(registryUrl + path, { method, headers: CONTENT, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const register = (subject: string, schema: unknown) =>
  registry('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema) });

interface AvroRecord {
  fields: Array<{ name: string; type: unknown; default?: unknown }>;
}

const current = (name: SchemaName) => JSON.parse(schemaText(name)) as AvroRecord;
const without = (schema: AvroRecord, field: string): AvroRecord => ({ ...schema, fields: schema.fields.filter((f) => f.name !== field) });

describe('schema registry compatibility', () => {
  const probes: string[] = [];
  const probe = async (name: string) => {
    const subject = `compat-probe-${RUN}-${name}-value`;
    probes.push(subject);
    await setSchemaCompatibility(registryUrl, [subject]);
    return subject;
  };

  afterAll(async () => {
    for (const subject of probes) {
      await registry('DELETE', `/subjects/${encodeURIComponent(subject)}`);
      await registry('DELETE', `/subjects/${encodeURIComponent(subject)}?permanent=true`);
    }
  });

  it('leaves every value subject at FULL_TRANSITIVE after provisioning', async () => {
    const levels = await Promise.all(
      TOPICS.map(
        async (t) =>
          [
            valueSubject(t.name),
            (await registry('GET', `/config/${encodeURIComponent(valueSubject(t.name))}`)).json.compatibilityLevel,
          ] as const,
      ),
    );
    expect(levels.filter(([, level]) => level !== SCHEMA_COMPATIBILITY)).toEqual([]);
  });

  it.each<SchemaName>(['DeliveryStatus', 'Dispatch'])(
    'registers %s with `replay` over its version without it, in both orders of reading',
    async (name) => {
      const subject = await probe(name);
      expect((await register(subject, without(current(name), 'replay'))).status).toBe(200);
      expect((await register(subject, current(name))).status).toBe(200);
      // Transitive: a third version must also read, and be read by, the first.
      expect((await register(subject, without(current(name), 'replay'))).status).toBe(200);
    },
  );

  it('refuses an added enum symbol and a field added without a default', async () => {
    const subject = await probe('status');
    const status = current('DeliveryStatus');
    expect((await register(subject, status)).status).toBe(200);
    const withSymbol: AvroRecord = {
      ...status,
      fields: status.fields.map((f) =>
        f.name === 'status'
          ? { ...f, type: { ...(f.type as { symbols: string[] }), symbols: [...(f.type as { symbols: string[] }).symbols, 'expired'] } }
          : f,
      ),
    };
    const refusedSymbol = await register(subject, withSymbol);
    expect(refusedSymbol.status).toBe(409);
    expect(String(refusedSymbol.json.message)).toMatch(/incompatible/i);
    expect((await register(subject, { ...status, fields: [...status.fields, { name: 'channel_group', type: 'string' }] })).status).toBe(
      409,
    );
    expect(
      (
        await register(subject, {
          ...status,
          fields: [...status.fields, { name: 'channel_group', type: ['null', 'string'], default: null }],
        })
      ).status,
    ).toBe(200);
  });
});
