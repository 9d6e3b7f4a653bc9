/**
 * The consumer groups of the pipeline's services under a GROUP_SUFFIX, with the topics each reads
 * (as the services wire them today: the webhook worker's retry lane is a group of its own).
 */
import type { GroupInputs } from './group-lag';

export function pipelineGroups(suffix: string): GroupInputs[] {
  const group = (base: string) => (suffix ? `${base}.${suffix}` : base);
  return [
    { groupId: group('notifications.ingest'), topics: ['notifications.events'] },
    { groupId: group('notifications.router'), topics: ['notifications.accepted'] },
    { groupId: group('notifications.aggregator'), topics: ['notifications.intents'] },
    { groupId: group('notifications.channel-inapp'), topics: ['notifications.dispatch.inapp', 'notifications.retry.inapp'] },
    { groupId: group('notifications.channel-webhook'), topics: ['notifications.dispatch.webhook'] },
    { groupId: group('notifications.channel-webhook.retry'), topics: ['notifications.retry.webhook'] },
  ];
}
