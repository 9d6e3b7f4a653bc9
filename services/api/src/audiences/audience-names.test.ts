import { audienceProblem, audienceSchema, userIdProblem, userIdSchema } from './audience-names';

describe('audience names', () => {
  it.each(['tier:TIER_1_SFO', 'tier:TIER_1', 'desk:fx.spot', 'region:eu-west:1', `k:${'v'.repeat(198)}`])('takes %s', (name) => {
    expect(audienceProblem(name)).toBeNull();
  });

  it.each([
    ['', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    ['TIER_1', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    ['tier:', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    [':TIER_1', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    ['tier:TIER_1,tier:TIER_2', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    [' tier:TIER_1', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    ['tier:TIER 1', 'must look like kind:value, e.g. tier:TIER_1_SFO'],
    [`k:${'v'.repeat(199)}`, 'is longer than 200 characters'],
  ])('refuses %j: %s', (name, problem) => {
    expect(audienceProblem(name)).toBe(problem);
  });

  it('gives the route schema the same pattern and limit', () => {
    expect(new RegExp(audienceSchema.pattern).test('tier:TIER_1')).toBe(true);
    expect(new RegExp(audienceSchema.pattern).test('tier:a,b')).toBe(false);
    expect(audienceSchema.maxLength).toBe(200);
  });
});

describe('member user ids', () => {
  it.each(['u1', 'user-7f3a', 'alice@example.com', 'a b', 'x'.repeat(200)])('takes %j', (id) => {
    expect(userIdProblem(id)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['acme/u1', 'must not contain /'],
    ['x'.repeat(201), 'is longer than 200 characters'],
  ])('refuses %j: %s', (id, problem) => {
    expect(userIdProblem(id)).toBe(problem);
  });

  it('gives the route schema the same rule', () => {
    expect(new RegExp(userIdSchema.pattern).test('acme/u1')).toBe(false);
    expect(userIdSchema.maxLength).toBe(200);
  });
});
