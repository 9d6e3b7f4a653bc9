import { httpProviderSettings } from './http-provider-settings';

describe('httpProviderSettings', () => {
  it('reads the three settings under the given prefix only', () => {
    const env = {
      SLACK_ALLOW_NETWORKS: ' 127.0.0.1/32, 10.0.0.0/8 ,',
      SLACK_TIMEOUT_MS: '2500',
      SLACK_CONNECTIONS: '8',
      TEAMS_TIMEOUT_MS: '1',
    };
    expect(httpProviderSettings(env, 'SLACK')).toEqual({ allowNetworks: ['127.0.0.1/32', '10.0.0.0/8'], timeoutMs: 2500, connections: 8 });
  });

  it("falls back to the defaults, the channel's own where it gives them", () => {
    expect(httpProviderSettings({}, 'DISCORD')).toEqual({ allowNetworks: [], timeoutMs: 10_000, connections: 64 });
    expect(httpProviderSettings({ PAGERDUTY_CONNECTIONS: '' }, 'PAGERDUTY', { connections: 32 })).toEqual({
      allowNetworks: [],
      timeoutMs: 10_000,
      connections: 32,
    });
  });

  it('refuses a timeout or connection count that is not a positive integer, naming the variable', () => {
    expect(() => httpProviderSettings({ WEBHOOK_TIMEOUT_MS: 'soon' }, 'WEBHOOK')).toThrow(
      'WEBHOOK_TIMEOUT_MS must be a positive integer, got "soon"',
    );
    expect(() => httpProviderSettings({ WEBHOOK_CONNECTIONS: '0' }, 'WEBHOOK')).toThrow('WEBHOOK_CONNECTIONS must be a positive integer');
    expect(() => httpProviderSettings({ WEBHOOK_CONNECTIONS: '1.5' }, 'WEBHOOK')).toThrow('WEBHOOK_CONNECTIONS');
  });
});
