import { CHANNELS, type Channel } from '@notify/schemas';
import { ignoresQuietHours, quietHoursDeferral } from './quiet-hours-deferral';
import { at, iso, testIntent, testPreferences, testRecipient } from './test-fixtures';
import { TimeZones } from './time-zones';

const zones = new TimeZones();
const NIGHT = testPreferences({ quiet_hours: { start: '22:00', end: '07:00', timezone: null } });
const AT_NIGHT = at('2026-06-01T23:00:00.000Z');

describe('ignoresQuietHours', () => {
  it('never holds in-app back, whatever the intent', () => {
    expect(ignoresQuietHours(testIntent(), 'inapp')).toBe(true);
  });

  it.each(CHANNELS.filter((c) => c !== 'inapp'))('holds an ordinary intent on %s', (channel) => {
    expect(ignoresQuietHours(testIntent(), channel)).toBe(false);
  });

  it('lets an intent that bypasses quiet hours through', () => {
    expect(ignoresQuietHours(testIntent({ bypass_quiet_hours: true }), 'sms')).toBe(true);
  });

  it('lets a mandatory critical intent through but holds a mandatory one of lower severity', () => {
    expect(ignoresQuietHours(testIntent({ mandatory: true, severity: 'critical' }), 'voice')).toBe(true);
    expect(ignoresQuietHours(testIntent({ mandatory: true, severity: 'warning' }), 'voice')).toBe(false);
  });

  it('holds a critical intent that is not mandatory', () => {
    expect(ignoresQuietHours(testIntent({ severity: 'critical' }), 'sms')).toBe(false);
  });
});

describe('quietHoursDeferral', () => {
  const defer = (
    channel: Channel,
    overrides: Parameters<typeof testIntent>[0] = {},
    prefs = NIGHT,
    recipient = testRecipient(),
    now = AT_NIGHT,
  ) => iso(quietHoursDeferral(testIntent(overrides), channel, prefs, recipient, now, zones));

  it('defers to the end of the period', () => {
    expect(defer('sms')).toBe('2026-06-02T07:00:00.000Z');
  });

  it('sends outside the period', () => {
    expect(defer('sms', {}, NIGHT, testRecipient(), at('2026-06-01T12:00:00.000Z'))).toBeNull();
  });

  it('sends in-app immediately inside the period', () => {
    expect(defer('inapp')).toBeNull();
  });

  it('has no quiet hours without preferences', () => {
    expect(iso(quietHoursDeferral(testIntent(), 'sms', null, testRecipient(), AT_NIGHT, zones))).toBeNull();
  });

  it("uses the recipient's zone when the period has none", () => {
    // 23:00Z is 08:00 in Tokyo, after its quiet hours.
    expect(defer('sms', {}, NIGHT, testRecipient({ timezone: 'Asia/Tokyo' }))).toBeNull();
    // 14:00Z is 23:00 in Tokyo.
    expect(defer('sms', {}, NIGHT, testRecipient({ timezone: 'Asia/Tokyo' }), at('2026-06-01T14:00:00.000Z'))).toBe(
      '2026-06-01T22:00:00.000Z',
    );
  });

  it('uses UTC without a recipient record, or when every zone is invalid', () => {
    expect(iso(quietHoursDeferral(testIntent(), 'webhook', NIGHT, null, AT_NIGHT, zones))).toBe('2026-06-02T07:00:00.000Z');
    const invalid = testPreferences({ quiet_hours: { start: '22:00', end: '07:00', timezone: 'Nope/Nowhere' } });
    expect(defer('sms', {}, invalid, testRecipient({ timezone: 'Also/Invalid' }))).toBe('2026-06-02T07:00:00.000Z');
  });
});
