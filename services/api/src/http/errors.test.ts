import { fieldOf } from './errors';

describe('fieldOf', () => {
  it('names query fields bare', () => {
    expect(fieldOf('querystring', { instancePath: '/limit' })).toBe('limit');
  });

  it('prefixes body fields and names missing properties', () => {
    expect(fieldOf('body', { instancePath: '', params: { missingProperty: 'notification_id' } })).toBe('body.notification_id');
    expect(fieldOf('body', { instancePath: '/a/b' })).toBe('body.a.b');
    expect(fieldOf('body', { instancePath: '' })).toBe('body');
  });
});
