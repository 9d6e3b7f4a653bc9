export * from './port';
export { Namespace } from './namespace';
export { createKafka, headersFromKafka, type KafkaLogger, type KafkaSettings } from './kafkajs-adapter';
export { AvroCodec } from './codec';
export { SCHEMA_COMPATIBILITY, setSchemaCompatibility } from './compatibility';
export { BatchingProducer } from './batching-producer';
export { provisionTopics, registerAllSchemas, topicConfig, type PartitionCounts, type ProvisionResult } from './provision';
export { CoPartitionedAssigner, assignByPartitionNumber, CoPartitionMismatchError } from './copartition-assigner';
