import type { Channel, Intent, Preferences, Recipient } from '@notify/schemas';
import type { ChannelDecision } from './channel-decision';
import { decideChannel, type ChannelDecisionInput } from './decide-channel';
import type { FrequencyCounts } from './frequency-limit';
import { FrequencyWindow } from './frequency-window';
import { at, fixedCount, testIntent, testPreferences, testRecipient } from './test-fixtures';
import { TimeZones } from './time-zones';

const NOON = at('2026-06-01T12:00:00.000Z');
const MIDNIGHT = at('2026-06-02T00:00:00.000Z');
const MORNING = at('2026-06-02T07:00:00.000Z');
const zones = new TimeZones();

interface Case {
  intent?: Partial<Intent>;
  channel?: Channel;
  preferences?: Preferences | null;
  recipient?: Recipient | null;
  frequency?: FrequencyCounts;
  now?: number;
}

function decide(c: Case = {}): ChannelDecision {
  const input: ChannelDecisionInput = {
    intent: testIntent(c.intent),
    channel: c.channel ?? 'email',
    preferences: c.preferences === undefined ? testPreferences() : c.preferences,
    recipient: c.recipient === undefined ? testRecipient() : c.recipient,
    frequency: c.frequency ?? fixedCount(0),
    now: c.now ?? NOON,
  };
  return decideChannel(input, zones);
}

const mandatory: Partial<Intent> = { mandatory: true, severity: 'info' };
const quietNights = (extra: Partial<Preferences> = {}) =>
  testPreferences({ quiet_hours: { start: '22:00', end: '07:00', timezone: 'UTC' }, ...extra });

describe('decideChannel', () => {
  it('sends when nothing objects', () => {
    expect(decide()).toEqual({ kind: 'send' });
  });

  describe('without preferences (defaults)', () => {
    it('sends on every channel, at any severity, without limits or quiet hours', () => {
      for (const channel of ['email', 'sms', 'voice', 'push', 'slack', 'inapp'] as const) {
        expect(
          decide({ preferences: null, channel, intent: { severity: 'success' }, frequency: fixedCount(10_000), now: MIDNIGHT }),
        ).toEqual({ kind: 'send' });
      }
    });
  });

  describe('without a recipient record', () => {
    it.each<Channel>(['inapp', 'webhook'])('still sends %s', (channel) => {
      expect(decide({ recipient: null, channel })).toEqual({ kind: 'send' });
    });

    it.each<Channel>(['email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'pagerduty'])(
      'suppresses %s for lack of an address',
      (channel) => {
        expect(decide({ recipient: null, channel })).toEqual({
          kind: 'suppress',
          reason: 'no_address',
          detail: `no recipient record, so no ${channel} address`,
        });
      },
    );

    it('still applies quiet hours, in UTC', () => {
      expect(decide({ recipient: null, channel: 'webhook', preferences: quietNights(), now: MIDNIGHT })).toEqual({
        kind: 'defer',
        until: MORNING,
        reason: 'quiet_hours_deferred',
      });
    });
  });

  describe('user switches', () => {
    it('suppresses a channel the user turned off', () => {
      expect(decide({ channel: 'sms', preferences: testPreferences({ channels: { sms: false } }) })).toEqual({
        kind: 'suppress',
        reason: 'preference',
        detail: 'channel sms is turned off',
      });
    });

    it('suppresses a type the user turned off on this channel only', () => {
      const preferences = testPreferences({ types: { ORDER_FILLED: { email: false } } });
      expect(decide({ preferences })).toEqual({ kind: 'suppress', reason: 'preference', detail: 'ORDER_FILLED is turned off on email' });
      expect(decide({ preferences, channel: 'push' })).toEqual({ kind: 'send' });
      expect(decide({ preferences, intent: { type: 'MARGIN_CALL' } })).toEqual({ kind: 'send' });
    });
  });

  describe('severity filter', () => {
    it('suppresses below warning for warning_and_above', () => {
      const preferences = testPreferences({ severity_filter: 'warning_and_above' });
      expect(decide({ preferences, intent: { severity: 'info' } })).toEqual({
        kind: 'suppress',
        reason: 'severity_filter',
        detail: 'info is below the warning_and_above filter',
      });
      expect(decide({ preferences, intent: { severity: 'warning' } })).toEqual({ kind: 'send' });
      expect(decide({ preferences, intent: { severity: 'critical' } })).toEqual({ kind: 'send' });
    });

    it('suppresses all but critical for critical_only', () => {
      const preferences = testPreferences({ severity_filter: 'critical_only' });
      expect(decide({ preferences, intent: { severity: 'warning' } })).toMatchObject({ kind: 'suppress', reason: 'severity_filter' });
      expect(decide({ preferences, intent: { severity: 'critical' } })).toEqual({ kind: 'send' });
    });

    it('lets everything through for all', () => {
      expect(decide({ preferences: testPreferences({ severity_filter: 'all' }), intent: { severity: 'success' } })).toEqual({
        kind: 'send',
      });
    });
  });

  describe('contact points', () => {
    it.each<Channel>(['sms', 'voice'])('suppresses %s to an unverified phone, and without one reports no address', (channel) => {
      expect(decide({ channel, recipient: testRecipient({ phone_verified: false }) })).toEqual({
        kind: 'suppress',
        reason: 'unverified',
        detail: 'phone number not verified',
      });
      expect(decide({ channel, recipient: testRecipient({ phone: null }) })).toEqual({
        kind: 'suppress',
        reason: 'no_address',
        detail: 'no phone number',
      });
    });

    it('suppresses email without an address', () => {
      expect(decide({ recipient: testRecipient({ email: null }) })).toEqual({
        kind: 'suppress',
        reason: 'no_address',
        detail: 'no email address',
      });
    });

    it('suppresses push without a subscription', () => {
      expect(decide({ channel: 'push', recipient: testRecipient({ push_subscriptions: [] }) })).toEqual({
        kind: 'suppress',
        reason: 'no_address',
        detail: 'no push device',
      });
    });
  });

  describe('provider opt-out (STOP)', () => {
    it('suppresses the opted-out channel only', () => {
      const recipient = testRecipient({ opted_out: ['sms'] });
      expect(decide({ channel: 'sms', recipient })).toEqual({
        kind: 'suppress',
        reason: 'opted_out',
        detail: 'recipient replied STOP on sms',
      });
      expect(decide({ channel: 'voice', recipient })).toEqual({ kind: 'send' });
    });
  });

  describe('frequency limit', () => {
    const preferences = testPreferences({ frequency_limits: { ORDER_FILLED: 2 } });

    it('suppresses once the hourly count reaches the limit', () => {
      expect(decide({ preferences, frequency: fixedCount(1) })).toEqual({ kind: 'send' });
      expect(decide({ preferences, frequency: fixedCount(2) })).toEqual({
        kind: 'suppress',
        reason: 'frequency_limited',
        detail: '2 ORDER_FILLED notifications in the last hour, limit 2',
      });
    });

    it('works with a FrequencyWindow the caller records into, and does not record itself', () => {
      const frequency = new FrequencyWindow();
      expect(decide({ preferences, frequency })).toEqual({ kind: 'send' });
      expect(decide({ preferences, frequency })).toEqual({ kind: 'send' });
      frequency.record('acme/u1', 'ORDER_FILLED', NOON - 60_000);
      frequency.record('acme/u1', 'ORDER_FILLED', NOON - 30_000);
      expect(decide({ preferences, frequency })).toMatchObject({ reason: 'frequency_limited' });
      // An hour after the first send it has expired, and one more may go.
      expect(decide({ preferences, frequency, now: NOON - 60_000 + 60 * 60_000 })).toEqual({ kind: 'send' });
    });
  });

  describe('quiet hours', () => {
    it('defers until the period ends', () => {
      expect(decide({ preferences: quietNights(), now: MIDNIGHT })).toEqual({
        kind: 'defer',
        until: MORNING,
        reason: 'quiet_hours_deferred',
      });
    });

    it('sends outside the period', () => {
      expect(decide({ preferences: quietNights(), now: NOON })).toEqual({ kind: 'send' });
    });

    it('never defers in-app', () => {
      expect(decide({ preferences: quietNights(), channel: 'inapp', now: MIDNIGHT })).toEqual({ kind: 'send' });
    });

    it('sends an intent that bypasses quiet hours', () => {
      expect(decide({ preferences: quietNights(), intent: { bypass_quiet_hours: true }, now: MIDNIGHT })).toEqual({ kind: 'send' });
    });

    it("applies the recipient's zone", () => {
      // 00:00Z is 09:00 in Tokyo, after the night.
      expect(
        decide({
          preferences: testPreferences({ quiet_hours: { start: '22:00', end: '07:00', timezone: null } }),
          recipient: testRecipient({ timezone: 'Asia/Tokyo' }),
          now: MIDNIGHT,
        }),
      ).toEqual({ kind: 'send' });
    });
  });

  describe('mandatory intents', () => {
    it('bypass channel and type switches', () => {
      expect(decide({ intent: mandatory, channel: 'sms', preferences: testPreferences({ channels: { sms: false } }) })).toEqual({
        kind: 'send',
      });
      expect(decide({ intent: mandatory, preferences: testPreferences({ types: { ORDER_FILLED: { email: false } } }) })).toEqual({
        kind: 'send',
      });
    });

    it('bypass the severity filter', () => {
      expect(decide({ intent: mandatory, preferences: testPreferences({ severity_filter: 'critical_only' }) })).toEqual({ kind: 'send' });
    });

    it('bypass frequency limits', () => {
      expect(
        decide({ intent: mandatory, preferences: testPreferences({ frequency_limits: { ORDER_FILLED: 1 } }), frequency: fixedCount(50) }),
      ).toEqual({ kind: 'send' });
    });

    it('cannot reach a missing or unverified contact point', () => {
      expect(decide({ intent: mandatory, channel: 'sms', recipient: testRecipient({ phone_verified: false }) })).toMatchObject({
        reason: 'unverified',
      });
      expect(decide({ intent: mandatory, recipient: testRecipient({ email: null }) })).toMatchObject({ reason: 'no_address' });
      expect(decide({ intent: mandatory, channel: 'push', recipient: null })).toMatchObject({ reason: 'no_address' });
    });

    it('respect a STOP, which is a legal opt-out', () => {
      expect(
        decide({ intent: { mandatory: true, severity: 'critical' }, channel: 'sms', recipient: testRecipient({ opted_out: ['sms'] }) }),
      ).toMatchObject({ reason: 'opted_out' });
    });

    it('skip quiet hours when critical, and wait for them otherwise', () => {
      expect(decide({ intent: { mandatory: true, severity: 'critical' }, preferences: quietNights(), now: MIDNIGHT })).toEqual({
        kind: 'send',
      });
      expect(decide({ intent: { mandatory: true, severity: 'warning' }, preferences: quietNights(), now: MIDNIGHT })).toEqual({
        kind: 'defer',
        until: MORNING,
        reason: 'quiet_hours_deferred',
      });
    });

    it('are not confused with critical intents, which still obey preferences', () => {
      expect(
        decide({ intent: { severity: 'critical' }, channel: 'sms', preferences: testPreferences({ channels: { sms: false } }) }),
      ).toMatchObject({ reason: 'preference' });
    });
  });

  describe('order of checks', () => {
    it('reports the user switch before a missing or unverified contact point', () => {
      expect(
        decide({
          channel: 'sms',
          preferences: testPreferences({ channels: { sms: false } }),
          recipient: testRecipient({ phone_verified: false }),
        }),
      ).toMatchObject({ reason: 'preference' });
      expect(decide({ channel: 'sms', preferences: testPreferences({ channels: { sms: false } }), recipient: null })).toMatchObject({
        reason: 'preference',
      });
    });

    it('checks the channel switch before the type switch, and both before the severity filter', () => {
      const preferences = testPreferences({
        channels: { email: false },
        types: { ORDER_FILLED: { email: false } },
        severity_filter: 'critical_only',
      });
      expect(decide({ preferences })).toEqual({ kind: 'suppress', reason: 'preference', detail: 'channel email is turned off' });
      expect(decide({ preferences: { ...preferences, channels: {} } })).toEqual({
        kind: 'suppress',
        reason: 'preference',
        detail: 'ORDER_FILLED is turned off on email',
      });
    });

    it('reports the severity filter before the contact point', () => {
      expect(
        decide({ preferences: testPreferences({ severity_filter: 'critical_only' }), recipient: testRecipient({ email: null }) }),
      ).toMatchObject({ reason: 'severity_filter' });
    });

    it('reports the contact point before a STOP', () => {
      expect(decide({ channel: 'sms', recipient: testRecipient({ phone_verified: false, opted_out: ['sms'] }) })).toMatchObject({
        reason: 'unverified',
      });
    });

    it('reports a STOP before the frequency limit', () => {
      const preferences = testPreferences({ frequency_limits: { ORDER_FILLED: 0 } });
      expect(decide({ channel: 'sms', preferences, recipient: testRecipient({ opted_out: ['sms'] }) })).toMatchObject({
        reason: 'opted_out',
      });
    });

    it('suppresses for the frequency limit rather than deferring for quiet hours', () => {
      expect(
        decide({ preferences: quietNights({ frequency_limits: { ORDER_FILLED: 1 } }), frequency: fixedCount(1), now: MIDNIGHT }),
      ).toMatchObject({ reason: 'frequency_limited' });
    });

    it('does not ask for frequency counts when an earlier check already decided', () => {
      const frequency: FrequencyCounts = {
        sendsInLastHour: () => {
          throw new Error('not expected');
        },
      };
      expect(
        decide({ frequency, preferences: testPreferences({ channels: { email: false }, frequency_limits: { ORDER_FILLED: 1 } }) }),
      ).toMatchObject({ reason: 'preference' });
    });
  });

  it('is pure: the same input gives the same decision and leaves the input untouched', () => {
    const input: ChannelDecisionInput = {
      intent: testIntent(),
      channel: 'email',
      preferences: quietNights({ frequency_limits: { ORDER_FILLED: 5 } }),
      recipient: testRecipient(),
      frequency: new FrequencyWindow(),
      now: MIDNIGHT,
    };
    const before = JSON.stringify(input);
    const first = decideChannel(input, zones);
    expect(decideChannel(input, zones)).toEqual(first);
    expect(decideChannel(input)).toEqual(first); // with a fresh zone cache
    expect(JSON.stringify(input)).toBe(before);
  });
});
