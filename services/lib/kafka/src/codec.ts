/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary), with schemas held
 * by a Confluent-compatible registry. Encoding and decoding are done here with avsc so the hot path
 * is one buffer copy; the registry client only registers schemas and fetches writer schemas by id.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { InvalidInputError, RetryableError } from '@notify/errors';
import { schemaText, topicSpec, valueSubject, type SchemaName, type TopicName, type ValueOf } from '@notify/schemas';
import avro from 'avsc';
import { SCHEMA_COMPATIBILITY } from './compatibility';

const MAGIC = 0;
const HEADER_BYTES = 5;

interface ReaderEntry {
  type: avro.Type;
  /** Resolvers from writer schema id to this reader type, built once per id. */
  resolvers: Map<number, avro.Resolver>;
}

export class AvroCodec {
  private readonly readers = new Map<SchemaName, ReaderEntry>();
  /** Schema id per topic this process writes. */
  private readonly writerIds = new Map<string, number>();
  private readonly writerTypes = new Map<number, Promise<avro.Type>>();

  private constructor(private readonly registry: SchemaRegistry) {}

  /** Connects to the registry and registers the value schema of every topic this process writes. */
  static async connect(registryUrl: string, writes: readonly TopicName[]): Promise<AvroCodec> {
    const codec = new AvroCodec(new SchemaRegistry({ host: registryUrl, retry: { retries: 5 } }));
    await codec.registerTopics(writes);
    return codec;
  }

  async registerTopics(topics: readonly TopicName[]): Promise<void> {
    for (const topic of topics) {
      const spec = topicSpec(topic);
      if (!spec) throw new Error(`unknown topic ${topic}`);
      if (this.writerIds.has(topic)) continue;
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: schemaText(spec.schema) },
        // The client refuses a subject whose level differs, so a registry provisioning never set up fails here.
        { subject: valueSubject(topic), compatibility: SCHEMA_COMPATIBILITY },
      );
      this.writerIds.set(topic, id);
    }
  }

  private reader(name: SchemaName): ReaderEntry {
    let entry = this.readers.get(name);
    if (!entry) {
      entry = { type: avro.Type.forSchema(JSON.parse(schemaText(name))), resolvers: new Map() };
      this.readers.set(name, entry);
    }
    return entry;
  }

  encode<T extends TopicName>(topic: T, value: ValueOf<T>): Buffer {
    const spec = topicSpec(topic);
    if (!spec) throw new Error(`unknown topic ${topic}`);
    const id = this.writerIds.get(topic);
    if (id === undefined) throw new Error(`schema for ${topic} is not registered by this process`);
    const type = this.reader(spec.schema).type;
    let body: Buffer;
    try {
      body = type.toBuffer(value);
    } catch (cause) {
      throw new Error(`value does not match ${spec.schema}: ${describeInvalid(type, value)}`, { cause });
    }
    const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    out.writeUInt8(MAGIC, 0);
    out.writeInt32BE(id, 1);
    body.copy(out, HEADER_BYTES);
    return out;
  }

  /**
   * Decodes a record written with any registered version of the topic's schema into the current
   * reader schema. Throws InvalidInputError for bytes that are not our wire format or that were
   * written with another record type.
   */
  async decode<T extends TopicName>(topic: T, buffer: Buffer | null): Promise<ValueOf<T>> {
    const spec = topicSpec(topic);
    if (!spec) throw new Error(`unknown topic ${topic}`);
    if (!buffer || buffer.length < HEADER_BYTES || buffer.readUInt8(0) !== MAGIC) {
      throw new InvalidInputError('undecodable', 'value is not Avro in the Confluent wire format (no magic byte and schema id)');
    }
    const id = buffer.readInt32BE(1);
    const writer = await this.writerType(id);
    const reader = this.reader(spec.schema);
    const writerName = (writer as avro.Type & { name?: string }).name;
    const readerName = (reader.type as avro.Type & { name?: string }).name;
    if (writerName !== readerName) {
      throw new InvalidInputError('wrong_schema', `written with schema ${writerName ?? 'unnamed'} (id ${id}), expected ${readerName}`);
    }
    let resolver = reader.resolvers.get(id);
    if (!resolver) {
      try {
        resolver = reader.type.createResolver(writer);
      } catch (cause) {
        throw new InvalidInputError('wrong_schema', `schema id ${id} cannot be read as ${readerName}: ${String(cause)}`);
      }
      reader.resolvers.set(id, resolver);
    }
    try {
      return reader.type.fromBuffer(buffer.subarray(HEADER_BYTES), resolver) as ValueOf<T>;
    } catch (cause) {
      throw new InvalidInputError('undecodable', `Avro body does not match schema id ${id}: ${String(cause)}`);
    }
  }

  private writerType(id: number): Promise<avro.Type> {
    let pending = this.writerTypes.get(id);
    if (!pending) {
      pending = this.registry.getSchema(id).then(
        (schema) => schema as unknown as avro.Type,
        (cause: unknown) => {
          this.writerTypes.delete(id);
          const status = (cause as { status?: number }).status;
          if (status === 404) throw new InvalidInputError('unknown_schema', `schema id ${id} is not in the registry`);
          throw new RetryableError('registry_unavailable', `cannot fetch schema id ${id}: ${String(cause)}`, { cause });
        },
      );
      this.writerTypes.set(id, pending);
    }
    return pending;
  }
}

function describeInvalid(type: avro.Type, value: unknown): string {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook: (path: string[], v: unknown) => problems.push(`${path.join('.') || '(root)'}=${JSON.stringify(v)}`),
  });
  return problems.length > 0 ? problems.join(', ') : 'invalid value';
}
