import { TenantDestinations } from './tenant-destinations';

describe('TenantDestinations', () => {
  const book = TenantDestinations.parse('{"acme":"https://a.example/hook","default":"https://d.example/hook"}', 'X_DESTINATIONS');

  it("prefers the dispatch's own address, then the tenant, then default", () => {
    expect(book.resolve('https://own.example/', 'acme')).toBe('https://own.example/');
    expect(book.resolve(null, 'acme')).toBe('https://a.example/hook');
    expect(book.resolve('  ', 'other')).toBe('https://d.example/hook');
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
    expect(() => empty.require({ address: null, tenant: 'acme' }, 'slack destination')).toThrow(expect.objectContaining({ code: 'no_address', message: 'no slack destination for tenant acme' }));
  });
});
