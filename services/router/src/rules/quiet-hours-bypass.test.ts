import { bypassesQuietHours } from './quiet-hours-bypass';

describe('bypassesQuietHours', () => {
  it('lets critical alerts and urgent priorities through when nothing says otherwise', () => {
    expect(bypassesQuietHours([undefined], 'critical', 'high')).toBe(true);
    expect(bypassesQuietHours([], 'warning', 'urgent')).toBe(true);
    expect(bypassesQuietHours([undefined], 'warning', 'high')).toBe(false);
    expect(bypassesQuietHours([undefined], 'info', 'normal')).toBe(false);
  });

  it('follows a rule that says so, either way', () => {
    expect(bypassesQuietHours([false], 'critical', 'high')).toBe(false);
    expect(bypassesQuietHours([true], 'info', 'low')).toBe(true);
    expect(bypassesQuietHours([undefined, false, true], 'info', 'normal')).toBe(true);
  });
});
