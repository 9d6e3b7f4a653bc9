import { importFormat, parseMemberLine } from './member-lines';

describe('importFormat', () => {
  it('reads the media type without its parameters', () => {
    expect(importFormat('text/plain')).toBe('text');
    expect(importFormat('text/plain; charset=utf-8')).toBe('text');
    expect(importFormat('application/x-ndjson')).toBe('ndjson');
    expect(importFormat('Application/X-NDJSON ;charset=UTF-8')).toBe('ndjson');
  });

  it('has no format for other types', () => {
    expect(importFormat('application/json')).toBeNull();
    expect(importFormat(undefined)).toBeNull();
    expect(importFormat('')).toBeNull();
    expect(importFormat('toString')).toBeNull();
  });
});

describe('parseMemberLine', () => {
  it('takes a plain line as the id, without surrounding spaces', () => {
    expect(parseMemberLine('  user-1 \t', 'text')).toEqual({ kind: 'member', userId: 'user-1' });
    expect(parseMemberLine('"user-1"', 'text')).toEqual({ kind: 'member', userId: '"user-1"' });
  });

  it('takes a JSON string or an object with user_id from ndjson', () => {
    expect(parseMemberLine('"user-1"', 'ndjson')).toEqual({ kind: 'member', userId: 'user-1' });
    expect(parseMemberLine('{"user_id":"user-2","email":"x@example.com"}', 'ndjson')).toEqual({ kind: 'member', userId: 'user-2' });
  });

  it('skips blank lines in both formats', () => {
    expect(parseMemberLine('', 'text')).toEqual({ kind: 'blank' });
    expect(parseMemberLine('   ', 'ndjson')).toEqual({ kind: 'blank' });
  });

  it.each([
    ['user-1', 'is not JSON'],
    ['{"user_id":', 'is not JSON'],
    ['42', 'is neither a JSON string nor an object with a string user_id'],
    ['{"id":"user-1"}', 'is neither a JSON string nor an object with a string user_id'],
    ['{"user_id":7}', 'is neither a JSON string nor an object with a string user_id'],
    ['["user-1"]', 'is neither a JSON string nor an object with a string user_id'],
    ['""', 'user id is empty'],
    ['"acme/user-1"', 'user id must not contain /'],
  ])('refuses the ndjson line %j: %s', (line, reason) => {
    expect(parseMemberLine(line, 'ndjson')).toEqual({ kind: 'invalid', reason });
  });

  it('refuses a plain id the API would refuse', () => {
    expect(parseMemberLine('acme/user-1', 'text')).toEqual({ kind: 'invalid', reason: 'user id must not contain /' });
    expect(parseMemberLine('x'.repeat(201), 'text')).toEqual({ kind: 'invalid', reason: 'user id is longer than 200 characters' });
  });
});
