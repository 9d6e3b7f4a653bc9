/**
 * Every topic of the pipeline, declared once: name, value schema, partitions and retention.
 * User-keyed topics share one partition count so they co-partition.
 */
import type {
  AcceptedEvent,
  Ack,
  AggregatorState,
  DeadLetter,
  DeliveryStatus,
  Dispatch,
  Event,
  FanoutPage,
  InboxItem,
  Intent,
  Preferences,
  Recipient,
  RejectedEvent,
} from './generated';

export const CHANNELS = ['email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'webhook', 'pagerduty', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** Value type of every topic; the single source of truth for what a topic carries. */
export interface TopicValues {
  'notifications.events': Event;
  'notifications.events.rejected': RejectedEvent;
  'notifications.accepted': AcceptedEvent;
  'notifications.recipients': Recipient;
  'notifications.preferences': Preferences;
  'notifications.intents': Intent;
  'notifications.acks': Ack;
  'notifications.aggregator-state': AggregatorState;
  'notifications.dlq': DeadLetter;
  'notifications.delivery-status': DeliveryStatus;
  'notifications.inbox': InboxItem;
  'notifications.fanout': FanoutPage;
}
export type DispatchTopic = `notifications.dispatch.${Channel}`;
export type RetryTopic = `notifications.retry.${Channel}`;
export type TopicName = keyof TopicValues | DispatchTopic | RetryTopic;
export type ValueOf<T extends TopicName> = T extends keyof TopicValues ? TopicValues[T] : Dispatch;

export type SchemaName =
  | 'Event'
  | 'RejectedEvent'
  | 'AcceptedEvent'
  | 'Recipient'
  | 'Preferences'
  | 'Intent'
  | 'Ack'
  | 'AggregatorState'
  | 'Dispatch'
  | 'DeadLetter'
  | 'DeliveryStatus'
  | 'InboxItem'
  | 'FanoutPage';

export interface TopicSpec {
  name: TopicName;
  schema: SchemaName;
  /** Which partition count applies: user-keyed topics must co-partition. */
  partitions: 'user' | 'event' | 'small';
  cleanup: 'delete' | 'compact';
  retentionMs?: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const dispatchTopic = (c: Channel): DispatchTopic => `notifications.dispatch.${c}`;
export const retryTopic = (c: Channel): RetryTopic => `notifications.retry.${c}`;

export const TOPICS: readonly TopicSpec[] = [
  { name: 'notifications.events', schema: 'Event', partitions: 'event', cleanup: 'delete', retentionMs: 7 * DAY },
  { name: 'notifications.events.rejected', schema: 'RejectedEvent', partitions: 'small', cleanup: 'delete', retentionMs: 30 * DAY },
  { name: 'notifications.accepted', schema: 'AcceptedEvent', partitions: 'event', cleanup: 'delete', retentionMs: 7 * DAY },
  { name: 'notifications.recipients', schema: 'Recipient', partitions: 'user', cleanup: 'compact' },
  { name: 'notifications.preferences', schema: 'Preferences', partitions: 'user', cleanup: 'compact' },
  { name: 'notifications.intents', schema: 'Intent', partitions: 'user', cleanup: 'delete', retentionMs: 7 * DAY },
  { name: 'notifications.acks', schema: 'Ack', partitions: 'user', cleanup: 'delete', retentionMs: 7 * DAY },
  { name: 'notifications.aggregator-state', schema: 'AggregatorState', partitions: 'user', cleanup: 'compact' },
  ...CHANNELS.map((c): TopicSpec => ({
    name: dispatchTopic(c),
    schema: 'Dispatch',
    partitions: 'user',
    cleanup: 'delete',
    retentionMs: 7 * DAY,
  })),
  ...CHANNELS.map((c): TopicSpec => ({
    name: retryTopic(c),
    schema: 'Dispatch',
    partitions: 'event',
    cleanup: 'delete',
    retentionMs: 7 * DAY,
  })),
  { name: 'notifications.dlq', schema: 'DeadLetter', partitions: 'small', cleanup: 'delete', retentionMs: 30 * DAY },
  { name: 'notifications.delivery-status', schema: 'DeliveryStatus', partitions: 'event', cleanup: 'delete', retentionMs: 30 * DAY },
  { name: 'notifications.inbox', schema: 'InboxItem', partitions: 'user', cleanup: 'delete', retentionMs: 1 * DAY },
  // The router's audience fan-out pages, keyed by event id (one page leads to the next).
  { name: 'notifications.fanout', schema: 'FanoutPage', partitions: 'event', cleanup: 'delete', retentionMs: 7 * DAY },
];

export function topicSpec(name: string): TopicSpec | undefined {
  return TOPICS.find((t) => t.name === name);
}

/** Subject under which a topic's value schema is registered (Confluent TopicNameStrategy). */
export const valueSubject = (topic: string): string => `${topic}-value`;
