import { defaultServiceGroups, parseExtraGroups } from './service-groups';

describe('service groups', () => {
  it('applies the deployment group suffix', () => {
    expect(defaultServiceGroups('blue').find((g) => g.service === 'router')?.group).toBe('notifications.router.blue');
    expect(defaultServiceGroups('').find((g) => g.service === 'router')?.group).toBe('notifications.router');
  });

  it('lists every consumer group of the pipeline with the topics it reads', () => {
    const groups = defaultServiceGroups('');
    const channels = ['webhook', 'email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'pagerduty'];
    expect(groups.map((g) => g.group).sort()).toEqual(
      [
        'notifications.ingest',
        'notifications.router',
        'notifications.router-fanout',
        'notifications.router-recipients',
        'notifications.aggregator',
        'notifications.tracker',
        'notifications.api-dlq',
        'notifications.api-recipients',
        'notifications.channel-inapp',
        ...channels.flatMap((c) => [`notifications.channel-${c}`, `notifications.channel-${c}.retry`]),
      ].sort(),
    );
    const topicsOf = (service: string) => groups.find((g) => g.service === service)?.topics;
    expect(topicsOf('router-fanout')).toEqual(['notifications.fanout']);
    expect(topicsOf('router-recipients')).toEqual(['notifications.recipients']);
    expect(topicsOf('aggregator')).toEqual(['notifications.intents', 'notifications.acks']);
    expect(topicsOf('tracker')).toEqual(['notifications.delivery-status']);
    expect(topicsOf('api-dlq')).toEqual(['notifications.dlq']);
    expect(topicsOf('api-recipients')).toEqual(['notifications.recipients']);
    expect(topicsOf('channel-sms')).toEqual(['notifications.dispatch.sms']);
    expect(topicsOf('channel-sms.retry')).toEqual(['notifications.retry.sms']);
    // The in-app worker reads its dispatch and retry topics in one group.
    expect(topicsOf('channel-inapp')).toEqual(['notifications.dispatch.inapp', 'notifications.retry.inapp']);
    expect(new Set(groups.map((g) => g.service)).size).toBe(groups.length);
  });

  it('reads extra groups from JSON and refuses malformed entries', () => {
    expect(parseExtraGroups('')).toEqual([]);
    expect(parseExtraGroups('[{"service":"tracker","group":"notifications.tracker","topics":["notifications.delivery-status"]}]')).toEqual([
      { service: 'tracker', group: 'notifications.tracker', topics: ['notifications.delivery-status'] },
    ]);
    expect(() => parseExtraGroups('[{"service":"x"}]')).toThrow('LAG_GROUPS[0]');
    expect(() => parseExtraGroups('{}')).toThrow('JSON array');
  });
});
