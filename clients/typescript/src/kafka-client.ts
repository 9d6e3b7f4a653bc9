/**
 * Publishes events straight to notifications.events, for producers inside the cluster: Avro in the
 * Confluent wire format with the Event schema this package was built with (looked up, never
 * registered, under notifications.events-value), keyed by dedupe_key else event_id like the HTTP
 * gateway does. Calls made close together share one sendBatch (linger-batcher.ts).
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishError, type FieldProblem } from './errors';
import { toEvent, withEventId, type Event, type EventInput } from './event';
import { LingerBatcher } from './linger-batcher';
import type { BatchResult, PublishOptions, PublishResult, Publisher } from './publisher';

export const EVENTS_TOPIC = 'notifications.events';
export const EVENTS_SUBJECT = 'notifications.events-value';

export interface KafkaNotificationClientOptions {
  /** Bootstrap brokers, e.g. ['kafka:9092']; or give `kafka`. */
  brokers?: string[];
  /** An existing kafkajs client (its own SSL, SASL and logging); takes the place of `brokers`. */
  kafka?: Kafka;
  /** The Confluent-compatible registry API, e.g. http://registry:8081/apis/ccompat/v7; or give `registry`. */
  registryUrl?: string;
  registry?: SchemaRegistry;
  /** The deployment's KAFKA_NAMESPACE: prefixed to the topic name (registry subjects are not prefixed). */
  namespace?: string;
  /** Tenant of events that name none (default `default`). */
  tenant?: string;
  /** How long a call waits for others to share its send (default 5 ms). */
  lingerMs?: number;
  /** Records in one send at most (default 500). */
  maxBatchRecords?: number;
  /** The Avro schema text of Event; defaults to the one shipped with this package. */
  schema?: string;
}

interface Connected {
  producer: Producer;
  schemaId: number;
  isValid: (event: Event, errorHook: (path: string[]) => void) => boolean;
}

function avroProblems(event: Event, isValid: Connected['isValid']): FieldProblem[] {
  const problems: FieldProblem[] = [];
  isValid(event, (path) => problems.push({ field: path.join('.') || '(event)', message: 'does not match the Event schema' }));
  return problems;
}

export class KafkaNotificationClient implements Publisher {
  private readonly kafka: Kafka;
  private readonly registry: SchemaRegistry;
  private readonly topic: string;
  private readonly tenant: string;
  private readonly schemaText: string | undefined;
  private readonly batcher: LingerBatcher<Message>;
  private connecting: Promise<Connected> | undefined;

  constructor(options: KafkaNotificationClientOptions) {
    if (!options.kafka && !options.brokers?.length) throw new TypeError('brokers or kafka is required');
    if (!options.registry && !options.registryUrl) throw new TypeError('registryUrl or registry is required');
    this.kafka = options.kafka ?? new Kafka({ clientId: 'notify-client', brokers: options.brokers as string[], logLevel: logLevel.ERROR });
    this.registry = options.registry ?? new SchemaRegistry({ host: options.registryUrl as string });
    this.topic = (options.namespace ?? '') + EVENTS_TOPIC;
    this.tenant = options.tenant ?? 'default';
    this.schemaText = options.schema;
    this.batcher = new LingerBatcher((messages) => this.send(messages), {
      lingerMs: options.lingerMs ?? 5,
      maxRecords: options.maxBatchRecords ?? 500,
    });
  }

  /** Connects the producer and finds the schema id; publish does this on first use. */
  connect(): Promise<void> {
    return this.connected().then(() => undefined);
  }

  /** Resolves when Kafka has acknowledged the event (all in-sync replicas). */
  async publish(event: EventInput, options: PublishOptions = {}): Promise<PublishResult> {
    const result = await this.publishBatch([event], options);
    const rejected = result.rejected[0];
    if (rejected)
      throw new PublishError({
        status: null,
        code: 'invalid_event',
        message: 'the event does not fit the Event schema',
        fields: rejected.fields,
        attempts: 0,
      });
    return { event_id: result.accepted[0] as string };
  }

  /** Sends every event that fits the schema (in one send) and reports the others by position, as the HTTP batch does. */
  async publishBatch(events: EventInput[], options: PublishOptions = {}): Promise<BatchResult> {
    if (options.signal?.aborted)
      throw new PublishError({ status: null, code: 'aborted', message: 'the publish call was aborted by its caller', attempts: 0 });
    const { schemaId, isValid } = await this.connected();
    const accepted: string[] = [];
    const rejected: BatchResult['rejected'] = [];
    const messages: Message[] = [];
    const now = Date.now();
    for (const [index, input] of events.entries()) {
      const event = toEvent(withEventId(input), this.tenant, now);
      const fields =
        input.payload !== undefined && (input.payload === null || typeof input.payload !== 'object' || Array.isArray(input.payload))
          ? [{ field: 'payload', message: 'must be a JSON object' }]
          : avroProblems(event, isValid);
      if (fields.length > 0) {
        rejected.push({ index, fields });
        continue;
      }
      messages.push({
        key: event.dedupe_key ?? event.event_id,
        value: await this.registry.encode(schemaId, event),
        headers: { 'content-type': 'application/vnd.notifications.event+avro' },
      });
      accepted.push(event.event_id);
    }
    try {
      await this.batcher.add(messages);
    } catch (cause) {
      throw new PublishError({
        status: null,
        code: 'kafka',
        message: `Kafka did not take the events: ${(cause as Error).message}`,
        attempts: 1,
        cause,
      });
    }
    return { accepted, rejected };
  }

  /** Sends what is still waiting, then disconnects. */
  async close(): Promise<void> {
    await this.batcher.close();
    if (this.connecting) await (await this.connecting.catch(() => undefined))?.producer.disconnect();
  }

  private connected(): Promise<Connected> {
    this.connecting ??= this.open().catch((error: unknown) => {
      // The next call tries again instead of failing forever on a registry that was briefly away.
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async open(): Promise<Connected> {
    const schema = this.schemaText ?? readFileSync(join(__dirname, 'Event.avsc'), 'utf8');
    let schemaId: number;
    try {
      schemaId = await this.registry.getRegistryIdBySchema(EVENTS_SUBJECT, { type: SchemaType.AVRO, schema });
    } catch (cause) {
      throw new PublishError({
        status: null,
        code: 'schema_not_registered',
        message: `the Event schema this client was built with is not a version of ${EVENTS_SUBJECT} in the registry (${(cause as Error).message})`,
        attempts: 0,
        cause,
      });
    }
    const type = (await this.registry.getSchema(schemaId)) as unknown as {
      isValid: (value: unknown, options: { errorHook: (path: string[]) => void }) => boolean;
    };
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return { producer, schemaId, isValid: (event, errorHook) => type.isValid(event, { errorHook }) };
  }

  private async send(messages: Message[]): Promise<void> {
    const { producer } = await this.connected();
    await producer.sendBatch({ topicMessages: [{ topic: this.topic, messages }], acks: -1 });
  }
}
