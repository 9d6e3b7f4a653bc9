import { SessionExpiry } from './session-expiry';

describe('SessionExpiry', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('ends the session when the token stops being accepted, not before', () => {
    const expired = jest.fn();
    const expiry = new SessionExpiry(Date.now() + 60_000, expired);
    jest.advanceTimersByTime(59_999);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
    expiry.stop();
  });

  it('lives on to a fresh token’s expiry and never shortens', () => {
    const expired = jest.fn();
    const expiry = new SessionExpiry(Date.now() + 60_000, expired);
    jest.advanceTimersByTime(30_000);
    expiry.extend(Date.now() + 120_000);
    expiry.extend(Date.now() + 10_000);
    expect(expiry.deadlineMs).toBe(Date.now() + 120_000);
    jest.advanceTimersByTime(119_999);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('waits out tokens longer than one timer can hold', () => {
    const expired = jest.fn();
    const fortyDays = 40 * 24 * 3600 * 1000;
    new SessionExpiry(Date.now() + fortyDays, expired);
    jest.advanceTimersByTime(2 ** 31);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(fortyDays - 2 ** 31);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does nothing once stopped', () => {
    const expired = jest.fn();
    new SessionExpiry(Date.now() + 1_000, expired).stop();
    jest.advanceTimersByTime(5_000);
    expect(expired).not.toHaveBeenCalled();
  });
});
