import { RecentSeqs } from './recent-seqs';

describe('RecentSeqs', () => {
  it('accepts a seq once', () => {
    const seen = new RecentSeqs(10);
    expect(seen.add(5)).toBe(true);
    expect(seen.add(5)).toBe(false);
    expect(seen.add(4)).toBe(true);
  });

  it('forgets the oldest beyond its capacity', () => {
    const seen = new RecentSeqs(2);
    seen.add(1);
    seen.add(2);
    seen.add(3);
    expect(seen.add(2)).toBe(false);
    expect(seen.add(1)).toBe(true);
  });
});
