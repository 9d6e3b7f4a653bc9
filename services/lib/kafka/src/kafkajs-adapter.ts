/** The Kafka port implemented with kafkajs 2.2.4. */
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import { Namespace } from './namespace';
import type {
  AdminPort,
  ConsumedBatch,
  ConsumerOptions,
  ConsumerPort,
  Headers,
  KafkaPort,
  OutgoingRecord,
  PartitionLag,
  ProducerOptions,
  ProducerPort,
  ReadToEndRequest,
  TopicConfig,
  Transaction,
  TopicPartitionOffset,
} from './port';
import { CoPartitionedAssigner } from './copartition-assigner';
import { readToEnd } from './read-to-end';

/**
 * A consumer that stops heart-beating is out of its group after this long and its partitions go to the
 * others. Kafka's default of 45 s (kafkajs: 30 s) left a killed worker's partitions idle that long;
 * 6 s is the broker's smallest allowed (group.min.session.timeout.ms), safe because batches heart-beat
 * on a timer while they run.
 */
export const SESSION_TIMEOUT_MS = 6_000;
const HEARTBEAT_INTERVAL_MS = 2_000;

export interface KafkaLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface KafkaSettings {
  clientId: string;
  brokers: string[];
  logger: KafkaLogger;
  /** Replication factor for topics we create; by default the cluster's size, at most 3. */
  replicationFactor?: number;
  /** Prefix of every physical topic and group name (KAFKA_NAMESPACE); empty for none. */
  namespace?: string;
}

function logCreator(logger: KafkaLogger) {
  return () => (entry: LogEntry) => {
    const { message, ...rest } = entry.log;
    const fields = { kafka: entry.namespace, ...rest };
    if (entry.level === logLevel.ERROR) logger.error(fields, message);
    else if (entry.level === logLevel.WARN) logger.warn(fields, message);
    else if (entry.level === logLevel.INFO) logger.info(fields, message);
    else logger.debug(fields, message);
  };
}

export function headersFromKafka(headers: IHeaders | undefined): Headers {
  const out: Headers = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

function groupByTopic(records: OutgoingRecord[], ns: Namespace): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    const topic = ns.topic(r.topic);
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    const message: Message = { key: r.key, value: r.value, headers: r.headers };
    if (r.partition !== undefined) message.partition = r.partition;
    list.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

class KafkajsProducer implements ProducerPort {
  constructor(
    private readonly producer: Producer,
    private readonly ns: Namespace,
  ) {}

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.sendBatch({ topicMessages: groupByTopic(records, this.ns), acks: -1, compression: CompressionTypes.None });
  }

  async transaction(): Promise<Transaction> {
    const txn = await this.producer.transaction();
    return {
      send: async (records) => {
        if (records.length > 0) await txn.sendBatch({ topicMessages: groupByTopic(records, this.ns), acks: -1 });
      },
      sendOffsets: async (groupId: string, offsets: TopicPartitionOffset[]) => {
        const topics = new Map<string, Array<{ partition: number; offset: string }>>();
        for (const o of offsets) {
          const topic = this.ns.topic(o.topic);
          let list = topics.get(topic);
          if (!list) topics.set(topic, (list = []));
          list.push({ partition: o.partition, offset: o.offset });
        }
        await txn.sendOffsets({
          consumerGroupId: this.ns.group(groupId),
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
        });
      },
      commit: () => txn.commit(),
      abort: () => txn.abort(),
    };
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

class KafkajsConsumer implements ConsumerPort {
  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumerOptions,
    private readonly ns: Namespace,
  ) {}

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: string[]): Promise<void> {
    return this.consumer.subscribe({ topics: topics.map((t) => this.ns.topic(t)), fromBeginning: this.options.fromBeginning ?? true });
  }

  run(onBatch: Parameters<ConsumerPort['run']>[0]): Promise<void> {
    return this.consumer.run({
      autoCommit: this.options.autoCommit ?? true,
      // Offsets are resolved only after a batch's outputs are acknowledged, so committing the
      // resolved ones on a timer is still at-least-once.
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const topic = this.ns.logicalTopic(batch.topic);
        const consumed: ConsumedBatch = {
          topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          records: batch.messages.map((m) => ({
            topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString() : null,
            value: m.value,
            headers: headersFromKafka(m.headers),
            timestamp: Number(m.timestamp),
          })),
        };
        // kafkajs heart-beats only between batches and when asked: a batch waiting on a slow provider
        // would outlive a short session. Beating on a timer while it runs lets the session be short, so
        // a member that died (kill -9) is noticed, and its partitions handed on, within SESSION_TIMEOUT_MS.
        const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
        try {
          await onBatch(consumed, {
            resolve: resolveOffset,
            heartbeat,
            commit: () => commitOffsetsIfNecessary(),
            shouldContinue: () => isRunning() && !isStale(),
          });
        } finally {
          clearInterval(beating);
        }
      },
    });
  }

  onAssignment(listener: (assignment: Record<string, number[]>) => void): void {
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      const assignment: Record<string, number[]> = {};
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
        const logical = this.ns.logical(topic);
        if (logical !== null) assignment[logical] = partitions;
      }
      listener(assignment);
    });
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

class KafkajsAdmin implements AdminPort {
  constructor(
    private readonly admin: Admin,
    private readonly replicationFactor: number | undefined,
    private readonly ns: Namespace,
  ) {}

  /** As set, or follows the cluster: 1 on a single broker, 3 (with the brokers' min.insync.replicas 2) on three or more. */
  private async replication(): Promise<number> {
    if (this.replicationFactor !== undefined) return this.replicationFactor;
    const { brokers } = await this.admin.describeCluster();
    return Math.max(1, Math.min(3, brokers.length));
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  async listTopics(): Promise<string[]> {
    const names = await this.admin.listTopics();
    return names.map((t) => this.ns.logical(t)).filter((t): t is string => t !== null);
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length > 0) await this.admin.deleteTopics({ topics: topics.map((t) => this.ns.topic(t)) });
  }

  async deleteGroups(groupIds: string[]): Promise<void> {
    if (groupIds.length > 0) await this.admin.deleteGroups(groupIds.map((g) => this.ns.group(g)));
  }

  async createTopics(topics: TopicConfig[]): Promise<void> {
    if (topics.length === 0) return;
    const replicationFactor = await this.replication();
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: this.ns.topic(t.topic),
        numPartitions: t.numPartitions,
        replicationFactor,
        configEntries: Object.entries(t.configEntries).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async topicPartitions(topic: string): Promise<number> {
    const meta = await this.admin.fetchTopicMetadata({ topics: [this.ns.topic(topic)] });
    return meta.topics[0]?.partitions.length ?? 0;
  }

  async groupLag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    const committed = await this.admin.fetchOffsets({ groupId: this.ns.group(groupId), topics: topics.map((t) => this.ns.topic(t)) });
    const lags: PartitionLag[] = [];
    for (const t of committed) {
      const ends = await this.admin.fetchTopicOffsets(t.topic);
      const topic = this.ns.logicalTopic(t.topic);
      for (const p of t.partitions) {
        const end = ends.find((e) => e.partition === p.partition)?.high ?? '0';
        const from = p.offset === '-1' ? (ends.find((e) => e.partition === p.partition)?.low ?? '0') : p.offset;
        lags.push({ topic, partition: p.partition, committed: p.offset, end, lag: Math.max(0, Number(end) - Number(from)) });
      }
    }
    return lags;
  }

  async committedOffsets(groupId: string, topics: string[]): Promise<TopicPartitionOffset[]> {
    const committed = await this.admin.fetchOffsets({ groupId: this.ns.group(groupId), topics: topics.map((t) => this.ns.topic(t)) });
    return committed.flatMap((t) =>
      t.partitions.map((p) => ({ topic: this.ns.logicalTopic(t.topic), partition: p.partition, offset: p.offset })),
    );
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}

export function createKafka(settings: KafkaSettings): KafkaPort {
  const ns = new Namespace(settings.namespace ?? '');
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: logCreator(settings.logger),
    retry: { initialRetryTime: 200, retries: 8 },
  });
  return {
    producer(options: ProducerOptions = {}): ProducerPort {
      const transactional = options.transactionalId !== undefined;
      return new KafkajsProducer(
        kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          ...(transactional ? { transactionalId: ns.group(options.transactionalId as string), transactionTimeout: 30_000 } : {}),
        }),
        ns,
      );
    },
    consumer(options: ConsumerOptions): ConsumerPort {
      return new KafkajsConsumer(
        kafka.consumer({
          groupId: ns.group(options.groupId),
          allowAutoTopicCreation: false,
          sessionTimeout: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
          heartbeatInterval: HEARTBEAT_INTERVAL_MS,
          maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
          maxWaitTimeInMs: options.maxWaitMs ?? 100,
          readUncommitted: !(options.readCommitted ?? true),
          ...(options.copartitioned ? { partitionAssigners: [CoPartitionedAssigner] } : {}),
        }),
        options,
        ns,
      );
    },
    admin(): AdminPort {
      return new KafkajsAdmin(kafka.admin(), settings.replicationFactor, ns);
    },
    readToEnd(request: ReadToEndRequest): Promise<TopicPartitionOffset[]> {
      return readToEnd(kafka, ns, request);
    },
  };
}
