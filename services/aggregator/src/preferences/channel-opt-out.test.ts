import { preferenceOptOut } from './channel-opt-out';
import { testPreferences } from './test-fixtures';

describe('preferenceOptOut', () => {
  it('leaves everything on when nothing is set', () => {
    expect(preferenceOptOut(testPreferences(), 'ORDER_FILLED', 'sms')).toBeNull();
  });

  it('turns a channel off only for an explicit false', () => {
    const prefs = testPreferences({ channels: { sms: false, email: true } });
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'sms')).toBe('channel sms is turned off');
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'email')).toBeNull();
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'push')).toBeNull();
  });

  it('turns one type off on one channel without touching other types or channels', () => {
    const prefs = testPreferences({ types: { ORDER_FILLED: { email: false, sms: true } } });
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'email')).toBe('ORDER_FILLED is turned off on email');
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'sms')).toBeNull();
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'push')).toBeNull();
    expect(preferenceOptOut(prefs, 'MARGIN_CALL', 'email')).toBeNull();
  });

  it('does not let a type switched on override a channel switched off', () => {
    const prefs = testPreferences({ channels: { sms: false }, types: { ORDER_FILLED: { sms: true } } });
    expect(preferenceOptOut(prefs, 'ORDER_FILLED', 'sms')).toBe('channel sms is turned off');
  });

  it('ignores inherited members used as type names', () => {
    expect(preferenceOptOut(testPreferences(), 'constructor', 'email')).toBeNull();
  });
});
