import { BULK_REPLAY_DEFAULT_LIMIT, parseReplayFilter } from './replay-filter';

describe('parseReplayFilter', () => {
  it('turns a channel into its worker stage and reads the time range as instants', () => {
    expect(
      parseReplayFilter({ channel: 'webhook', code: 'http_410', from: '2026-12-03T09:00:00Z', to: '2026-12-03T10:00:00.500+01:00' }),
    ).toEqual({
      ok: true,
      filter: {
        stage: 'channel-webhook',
        code: 'http_410',
        from: new Date('2026-12-03T09:00:00Z'),
        to: new Date('2026-12-03T09:00:00.500Z'),
        limit: BULK_REPLAY_DEFAULT_LIMIT,
        force: false,
      },
    });
  });

  it('takes a stage of any worker, a limit and force as given', () => {
    expect(parseReplayFilter({ stage: 'aggregator', limit: 3, force: true })).toEqual({
      ok: true,
      filter: { stage: 'aggregator', code: null, from: null, to: null, limit: 3, force: true },
    });
    expect(parseReplayFilter({ channel: 'sms', stage: 'channel-sms' })).toMatchObject({ ok: true, filter: { stage: 'channel-sms' } });
    expect(parseReplayFilter({ from: '2026-12-03T09:00:00Z' })).toMatchObject({
      ok: true,
      filter: { stage: null, from: new Date('2026-12-03T09:00:00Z'), to: null },
    });
  });

  it('refuses an empty filter, so a bare request cannot replay every dead letter', () => {
    expect(parseReplayFilter({})).toEqual({
      ok: false,
      problems: [{ field: 'body', message: expect.stringContaining('at least one filter') }],
    });
    expect(parseReplayFilter({ force: true, limit: 10 })).toMatchObject({ ok: false });
  });

  it('names every field that is wrong', () => {
    const parsed = parseReplayFilter({ channel: 'fax', stage: 'router', from: 'yesterday', to: '2026-13-45', limit: 501 });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.field)).toEqual([
      'body.channel',
      'body.stage',
      'body.from',
      'body.to',
      'body.limit',
    ]);
  });

  it('refuses a range that ends before it starts, or is empty', () => {
    expect(parseReplayFilter({ from: '2026-12-03T10:00:00Z', to: '2026-12-03T09:00:00Z' })).toEqual({
      ok: false,
      problems: [{ field: 'body.to', message: 'must be later than from' }],
    });
    expect(parseReplayFilter({ from: '2026-12-03T10:00:00Z', to: '2026-12-03T10:00:00Z' })).toMatchObject({ ok: false });
  });
});
