/**
 * The consumer groups of the pipeline and the topics each reads, for the lag view. Extra groups (a
 * new service) come from LAG_GROUPS as JSON `[{"service","group","topics":[...]}]`.
 */
import { CHANNELS, dispatchTopic, retryTopic, type Channel } from '@notify/schemas';

export interface ServiceGroup {
  service: string;
  group: string;
  topics: string[];
}

/**
 * Every consumer group the pipeline runs, named as the service calls it (`router-fanout`,
 * `channel-sms.retry`): the group id without its `notifications.` prefix and deployment suffix.
 */
export function defaultServiceGroups(groupSuffix: string): ServiceGroup[] {
  const group = (name: string, topics: string[]): ServiceGroup => {
    const base = `notifications.${name}`;
    return { service: name, group: groupSuffix ? `${base}.${groupSuffix}` : base, topics };
  };
  return [
    group('ingest', ['notifications.events']),
    group('router', ['notifications.accepted']),
    group('router-fanout', ['notifications.fanout']),
    group('router-recipients', ['notifications.recipients']),
    group('aggregator', ['notifications.intents', 'notifications.acks']),
    group('tracker', ['notifications.delivery-status']),
    ...CHANNELS.flatMap((channel) => channelGroups(channel, group)),
    group('api-dlq', ['notifications.dlq']),
    group('api-recipients', ['notifications.recipients']),
  ];
}

/**
 * Workers on the shared channel service run a dispatch group and a retry group
 * (services/lib/channel/src/channel-service.ts); the in-app worker reads both topics in one group.
 */
function channelGroups(channel: Channel, group: (name: string, topics: string[]) => ServiceGroup): ServiceGroup[] {
  const service = `channel-${channel}`;
  if (channel === 'inapp') return [group(service, [dispatchTopic(channel), retryTopic(channel)])];
  return [group(service, [dispatchTopic(channel)]), group(`${service}.retry`, [retryTopic(channel)])];
}

export function parseExtraGroups(json: string): ServiceGroup[] {
  if (json.trim() === '') return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error('LAG_GROUPS must be a JSON array');
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<ServiceGroup> | null;
    if (
      !e ||
      typeof e.service !== 'string' ||
      typeof e.group !== 'string' ||
      !Array.isArray(e.topics) ||
      !e.topics.every((t) => typeof t === 'string')
    ) {
      throw new Error(`LAG_GROUPS[${i}] must be {"service": string, "group": string, "topics": string[]}`);
    }
    return { service: e.service, group: e.group, topics: e.topics };
  });
}
