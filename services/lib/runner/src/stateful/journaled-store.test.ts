import { JournaledStore } from './journaled-store';

interface Counter {
  n: number;
  tags: string[];
}
const store = () => new JournaledStore<Counter>((c) => structuredClone(c));

describe('JournaledStore', () => {
  it('rolls back values changed in place, created and deleted within a unit', () => {
    const s = store();
    s.load('a', { n: 1, tags: ['x'] });
    s.load('b', { n: 2, tags: [] });
    s.begin();
    const a = s.mutable('a', () => ({ n: 0, tags: [] }));
    a.n = 10;
    a.tags.push('y');
    s.mutable('c', () => ({ n: 3, tags: [] }));
    s.delete('b');
    expect(s.dirtyKeys().sort()).toEqual(['a', 'b', 'c']);
    expect(s.rollback().sort()).toEqual(['a', 'b', 'c']);
    expect(s.peek('a')).toEqual({ n: 1, tags: ['x'] });
    expect(s.peek('b')).toEqual({ n: 2, tags: [] });
    expect(s.peek('c')).toBeUndefined();
  });

  it('keeps committed changes and starts the next unit clean', () => {
    const s = store();
    s.begin();
    s.mutable('a', () => ({ n: 1, tags: [] })).n = 5;
    s.commit();
    s.begin();
    expect(s.dirtyKeys()).toEqual([]);
    s.mutable('a', () => ({ n: 0, tags: [] })).n = 6;
    s.rollback();
    expect(s.peek('a')).toEqual({ n: 5, tags: [] });
  });

  it('refuses changes outside a unit of work', () => {
    expect(() => store().mutable('a', () => ({ n: 0, tags: [] }))).toThrow('open unit of work');
  });
});
