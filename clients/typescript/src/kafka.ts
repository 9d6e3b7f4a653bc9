/** @notify/client/kafka: the same Publisher interface straight to Kafka, for producers inside the cluster. */
export { KafkaNotificationClient, EVENTS_SUBJECT, EVENTS_TOPIC, type KafkaNotificationClientOptions } from './kafka-client';
export { PublishError, type FieldProblem } from './errors';
export type { Event, EventInput } from './event';
export type { BatchResult, PublishOptions, PublishResult, Publisher } from './publisher';
