import { SettledListings } from './settled-listings';

describe('SettledListings', () => {
  it('bounds delivery by the newest seq of listings at least settleMs old', () => {
    const clock = { now: 0 };
    const listings = new SettledListings(1000, () => clock.now);
    expect(listings.record(10, 0)).toBeNull();
    clock.now = 600;
    expect(listings.record(12, 600)).toBeNull();
    clock.now = 1000;
    expect(listings.record(15, 1000)).toBe(10);
    clock.now = 1700;
    expect(listings.record(15, 1700)).toBe(12);
    clock.now = 5000;
    expect(listings.record(16, 5000)).toBe(15);
  });

  it('never lowers the bound', () => {
    const clock = { now: 0 };
    const listings = new SettledListings(100, () => clock.now);
    listings.record(20, 0);
    clock.now = 200;
    expect(listings.record(20, 200)).toBe(20);
    // A listing from before the bound was set, arriving late, cannot lower it.
    expect(listings.record(7, 0)).toBe(20);
  });
});
