import { TenantDestinations } from './tenant-destinations';

describe('TenantDestinations', () => {
  const book = TenantDestinations.parse('{"acme":"https://a.example/hook","default":"https://d.example/hook"}', 'X_DESTINATIONS');

  it("prefers the dispatch's own address, then the tenant, then default", () => {
    expect(book.resolve('https://own.example/', 'acme')).toBe('https://own.example/');
    expect(book.resolve(null, 'acme')).toBe('https://a.example/hook');
    expect(book.resolve('  ', 'other')).toBe('https://d.example/hook');
  });

  it("looks up a team's own entry first, then its tenant's, then default; the dispatch's own address still wins", () => {
    const teams = TenantDestinations.parse(
      '{"acme/risk":"https://r.example/hook","acme":"https://a.example/hook","default":"https://d.example/hook"}',
      'X',
    );
    expect(teams.resolve(null, 'acme', 'risk')).toBe('https://r.example/hook');
    expect(teams.resolve(null, 'acme', 'team')).toBe('https://a.example/hook');
    expect(teams.resolve(null, 'globex', 'risk')).toBe('https://d.example/hook');
    expect(teams.resolve('https://own.example/', 'acme', 'risk')).toBe('https://own.example/');
    // A team entry serves that team only, never the tenant's people or other teams.
    expect(teams.resolve(null, 'acme')).toBe('https://a.example/hook');
    expect(TenantDestinations.parse('{"acme/risk":"https://r.example/hook"}', 'X').resolve(null, 'acme', 'ops')).toBeUndefined();
  });

  it('names the team when a team has nowhere to go', () => {
    expect(() => TenantDestinations.parse('{}', 'X').require({ address: null, tenant: 'acme' }, 'slack destination', 'risk')).toThrow(
      expect.objectContaining({ code: 'no_address', message: 'no slack destination for tenant acme (team risk)' }),
    );
  });

  it('has nothing for an unknown tenant without a default', () => {
    expect(TenantDestinations.parse('{}', 'X').resolve(null, 'acme')).toBeUndefined();
  });

  it('names the variable when the JSON is malformed', () => {
    expect(() => TenantDestinations.parse('[1]', 'SLACK_DESTINATIONS')).toThrow(/SLACK_DESTINATIONS must be a JSON object/);
    expect(() => TenantDestinations.parse('{"a":1}', 'SLACK_DESTINATIONS')).toThrow(/SLACK_DESTINATIONS.a/);
    expect(() => TenantDestinations.parse('{', 'SLACK_DESTINATIONS')).toThrow(/not valid JSON/);
  });

  it('does not pick up Object.prototype members as tenants', () => {
    expect(TenantDestinations.parse('{}', 'X').resolve(null, 'constructor')).toBeUndefined();
  });

  it('requires somewhere to send: no own address and no entry is a permanent no_address', () => {
    expect(book.require({ address: null, tenant: 'acme' }, 'slack destination')).toBe('https://a.example/hook');
    const empty = TenantDestinations.parse('{}', 'X_DESTINATIONS');
    expect(() => empty.require({ address: null, tenant: 'acme' }, 'slack destination')).toThrow(
      expect.objectContaining({ code: 'no_address', message: 'no slack destination for tenant acme' }),
    );
  });
});
