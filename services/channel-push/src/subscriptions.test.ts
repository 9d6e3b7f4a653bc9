import { PermanentError } from '@notify/errors';
import { parseSubscriptions } from './subscriptions';

describe('parseSubscriptions', () => {
  it('reads the browser shape, the flat Recipient shape and arrays of either, without duplicates', () => {
    const browser = { endpoint: 'https://push.example/a', keys: { p256dh: 'P', auth: 'A' } };
    const flat = { endpoint: 'https://push.example/b', p256dh: 'P2', auth: 'A2' };
    expect(parseSubscriptions(JSON.stringify(browser))).toEqual([{ endpoint: 'https://push.example/a', p256dh: 'P', auth: 'A' }]);
    expect(parseSubscriptions(JSON.stringify([browser, flat, browser]))).toHaveLength(2);
  });

  it('fails permanently without an address or with unusable JSON', () => {
    expect(() => parseSubscriptions(null)).toThrow(expect.objectContaining({ code: 'no_address' }));
    expect(() => parseSubscriptions('nope')).toThrow(PermanentError);
    expect(() => parseSubscriptions('[]')).toThrow(expect.objectContaining({ code: 'invalid_address' }));
    expect(() => parseSubscriptions(JSON.stringify({ endpoint: 'https://x' }))).toThrow(expect.objectContaining({ code: 'invalid_address' }));
  });
});
