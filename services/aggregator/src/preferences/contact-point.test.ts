import { CHANNELS, type Channel } from '@notify/schemas';
import { contactPoint } from './contact-point';
import { testRecipient } from './test-fixtures';

describe('contactPoint', () => {
  it('reaches every channel of a fully set-up recipient', () => {
    for (const channel of CHANNELS) expect(contactPoint(channel, testRecipient())).toMatchObject({ reachable: true });
  });

  it('resolves the address the channel worker needs', () => {
    const recipient = testRecipient({ chat: { slack: 'https://hooks.slack.example/1', webhook: 'https://hooks.example/u1' } });
    expect(contactPoint('email', recipient)).toEqual({ reachable: true, address: 'u1@example.com' });
    expect(contactPoint('sms', recipient)).toEqual({ reachable: true, address: '+15555550100' });
    expect(contactPoint('voice', recipient)).toEqual({ reachable: true, address: '+15555550100' });
    expect(contactPoint('slack', recipient)).toEqual({ reachable: true, address: 'https://hooks.slack.example/1' });
    expect(contactPoint('webhook', recipient)).toEqual({ reachable: true, address: 'https://hooks.example/u1' });
    expect(contactPoint('push', recipient)).toEqual({ reachable: true, address: JSON.stringify(recipient.push_subscriptions) });
    expect(contactPoint('inapp', recipient)).toEqual({ reachable: true, address: null });
  });

  describe('for a team pseudo-recipient', () => {
    it.each<Channel>(['slack', 'discord', 'teams', 'pagerduty'])(
      'reaches %s at the address its channel worker resolves, with no record',
      (channel) => {
        expect(contactPoint(channel, null, '#team')).toEqual({ reachable: true, address: null });
        expect(contactPoint(channel, testRecipient(), '#risk')).toEqual({ reachable: true, address: null });
      },
    );

    it.each<Channel>(['email', 'sms', 'voice', 'push', 'webhook', 'inapp'])('does not reach %s', (channel) => {
      expect(contactPoint(channel, testRecipient(), '#team')).toEqual({
        reachable: false,
        reason: 'no_address',
        detail: 'a team is reached only on slack, discord, teams, pagerduty',
      });
    });

    it('is no team for a person whose id merely contains #', () => {
      expect(contactPoint('slack', null, 'u#1')).toMatchObject({ reachable: false, reason: 'no_address' });
    });
  });

  describe('without a recipient record', () => {
    it.each<Channel>(['inapp', 'webhook'])('still reaches %s, which needs no personal address', (channel) => {
      expect(contactPoint(channel, null)).toEqual({ reachable: true, address: null });
    });

    it.each<Channel>(['email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'pagerduty'])('has no address for %s', (channel) => {
      expect(contactPoint(channel, null)).toMatchObject({ reachable: false, reason: 'no_address' });
    });
  });

  it.each<Channel>(['sms', 'voice'])('refuses %s to an unverified phone, and reports a missing one as no address', (channel) => {
    expect(contactPoint(channel, testRecipient({ phone_verified: false }))).toEqual({
      reachable: false,
      reason: 'unverified',
      detail: 'phone number not verified',
    });
    expect(contactPoint(channel, testRecipient({ phone: null, phone_verified: false }))).toEqual({
      reachable: false,
      reason: 'no_address',
      detail: 'no phone number',
    });
    expect(contactPoint(channel, testRecipient({ phone: '  ', phone_verified: true }))).toMatchObject({ reason: 'no_address' });
  });

  it('needs an email address for email, verified or not', () => {
    expect(contactPoint('email', testRecipient({ email: null }))).toEqual({
      reachable: false,
      reason: 'no_address',
      detail: 'no email address',
    });
    expect(contactPoint('email', testRecipient({ email: '' }))).toMatchObject({ reason: 'no_address' });
    expect(contactPoint('email', testRecipient({ email_verified: false }))).toMatchObject({ reachable: true });
  });

  it('addresses push to every subscription, as the JSON array the push worker reads', () => {
    const subscriptions = [
      { endpoint: 'https://push.example/phone', p256dh: 'k1', auth: 'a1' },
      { endpoint: 'https://push.example/laptop', p256dh: 'k2', auth: 'a2' },
    ];
    const point = contactPoint('push', testRecipient({ push_subscriptions: subscriptions }));
    expect(point.reachable && point.address !== null ? JSON.parse(point.address) : null).toEqual(subscriptions);
  });

  it('needs a push subscription for push', () => {
    expect(contactPoint('push', testRecipient({ push_subscriptions: [] }))).toEqual({
      reachable: false,
      reason: 'no_address',
      detail: 'no push device',
    });
  });

  it.each<Channel>(['slack', 'discord', 'teams', 'pagerduty'])('needs a %s destination in chat', (channel) => {
    expect(contactPoint(channel, testRecipient({ chat: {} }))).toEqual({
      reachable: false,
      reason: 'no_address',
      detail: `no ${channel} destination`,
    });
  });

  it('sends webhooks to the tenant endpoint when the recipient has none of their own', () => {
    expect(contactPoint('webhook', testRecipient({ chat: {} }))).toEqual({ reachable: true, address: null });
  });
});
