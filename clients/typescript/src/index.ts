/** @notify/client: publish events over HTTP. The Kafka client is `@notify/client/kafka` (it needs kafkajs). */
export { NotificationClient, type NotificationClientOptions } from './http-client';
export { PublishError, type FieldProblem, type PublishErrorDetails } from './errors';
export type { Event, EventInput } from './event';
export type { BatchResult, PublishOptions, PublishResult, Publisher } from './publisher';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
