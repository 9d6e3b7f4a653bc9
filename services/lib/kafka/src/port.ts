/**
 * The Kafka port: the only Kafka surface the rest of the code sees. kafkajs sits behind it today
 * (see kafkajs-adapter.ts); a faster client can replace it without touching a handler.
 */
export type Headers = Record<string, string>;

export interface OutgoingRecord {
  topic: string;
  key: string | null;
  /** null is a tombstone on compacted topics. */
  value: Buffer | null;
  headers?: Headers;
  partition?: number;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Headers;
  timestamp: number;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  highWatermark: string;
  records: ConsumedRecord[];
}

/** What a batch callback may do with the group while it works. */
export interface BatchControl {
  /** Marks this offset (and all before it in the partition) processed; committed on the next commit. */
  resolve(offset: string): void;
  heartbeat(): Promise<void>;
  commit(): Promise<void>;
  /** False once stop() was called or the partition was revoked: finish the current unit and return. */
  shouldContinue(): boolean;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: string;
}

export interface Transaction {
  send(records: OutgoingRecord[]): Promise<void>;
  sendOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface ProducerPort {
  connect(): Promise<void>;
  /** Sends all records in as few requests as possible and resolves once every one is acknowledged by all in-sync replicas. */
  send(records: OutgoingRecord[]): Promise<void>;
  transaction(): Promise<Transaction>;
  disconnect(): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  /** Partitions processed at the same time by this instance. */
  partitionsConcurrently?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  maxBytesPerPartition?: number;
  maxWaitMs?: number;
  /** Read only committed records of transactional producers. */
  readCommitted?: boolean;
  /**
   * Partition p of every subscribed topic goes to the same member, as Kafka Streams does for joins.
   * Subscribed topics must have equal partition counts, and every member of the group must set it.
   */
  copartitioned?: boolean;
  /**
   * Default true: resolved offsets are committed on a timer. False: the consumer never commits;
   * exactly-once stages commit offsets inside their producer's transactions (Transaction.sendOffsets).
   */
  autoCommit?: boolean;
}

export interface ConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: string[]): Promise<void>;
  run(onBatch: (batch: ConsumedBatch, control: BatchControl) => Promise<void>): Promise<void>;
  /** Called each time this member joins the group with its assigned partitions. */
  onAssignment(listener: (assignment: Record<string, number[]>) => void): void;
  /** Finishes the batch in hand, commits what was resolved and leaves the group. */
  disconnect(): Promise<void>;
}

export interface TopicConfig {
  topic: string;
  numPartitions: number;
  configEntries: Record<string, string>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: string;
  end: string;
  lag: number;
}

export interface AdminPort {
  connect(): Promise<void>;
  /** Logical names of the topics in this namespace. */
  listTopics(): Promise<string[]>;
  createTopics(topics: TopicConfig[]): Promise<void>;
  deleteTopics(topics: string[]): Promise<void>;
  deleteGroups(groupIds: string[]): Promise<void>;
  topicPartitions(topic: string): Promise<number>;
  groupLag(groupId: string, topics: string[]): Promise<PartitionLag[]>;
  /** The group's committed offset of every partition of `topics` ('-1' when it has none). */
  committedOffsets(groupId: string, topics: string[]): Promise<TopicPartitionOffset[]>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  /** Set for exactly-once stages; one transactional id per input partition. */
  transactionalId?: string;
}

/** Partitions to read from their beginning up to the end they had when reading started. */
export interface ReadToEndRequest {
  topics: string[];
  /** Partition numbers, read in every one of `topics`. */
  partitions: number[];
  /** Called in offset order per partition; null values are tombstones. Transactional records only once committed. */
  onRecord(record: ConsumedRecord): void | Promise<void>;
}

export interface KafkaPort {
  producer(options?: ProducerOptions): ProducerPort;
  consumer(options: ConsumerOptions): ConsumerPort;
  admin(): AdminPort;
  /**
   * Reads the requested partitions from the beginning to their end offsets (as of the call), without
   * committing anything, and resolves with the next offset reached per partition. State stores restore
   * with it; it never joins a group that other members use.
   */
  readToEnd(request: ReadToEndRequest): Promise<TopicPartitionOffset[]>;
}
