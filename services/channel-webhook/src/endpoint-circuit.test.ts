import { EndpointCircuits } from './endpoint-circuit';

describe('EndpointCircuits', () => {
  let now = 0;
  const circuits = () => new EndpointCircuits({ after: 3, openMs: 1_000 }, () => now);
  beforeEach(() => {
    now = 10_000;
  });

  it('lets sends through until `after` consecutive sends got no answer, then refuses at once', () => {
    const c = circuits();
    c.unanswered('a');
    c.unanswered('a');
    expect(c.admit('a', false)).toBe('send');
    c.unanswered('a');
    expect(c.admit('a', false)).toBe('refuse');
    expect(c.admit('a', true)).toBe('refuse');
    // Another endpoint is not affected.
    expect(c.admit('b', false)).toBe('send');
  });

  it('counts only consecutive misses: an answer in between starts the count again', () => {
    const c = circuits();
    c.unanswered('a');
    c.unanswered('a');
    c.answered('a');
    c.unanswered('a');
    c.unanswered('a');
    expect(c.admit('a', false)).toBe('send');
  });

  it('after openMs lets one retry test the endpoint, never a first attempt, and one test at a time', () => {
    const c = circuits();
    for (let i = 0; i < 3; i++) c.unanswered('a');
    now += 1_000;
    expect(c.admit('a', false)).toBe('refuse');
    expect(c.admit('a', true)).toBe('send');
    expect(c.admit('a', true)).toBe('refuse');
    // The test got no answer: open again for openMs.
    c.unanswered('a');
    expect(c.admit('a', true)).toBe('refuse');
    now += 1_000;
    expect(c.admit('a', true)).toBe('send');
    c.answered('a');
    expect(c.admit('a', false)).toBe('send');
    expect(c.isOpen('a')).toBe(false);
  });

  it('forgets an endpoint on reset (disabled, so it starts closed when re-enabled)', () => {
    const c = circuits();
    for (let i = 0; i < 3; i++) c.unanswered('a');
    expect(c.isOpen('a')).toBe(true);
    c.reset('a');
    expect(c.admit('a', false)).toBe('send');
  });
});
