import { ownValue } from './own-value';

describe('ownValue', () => {
  it('reads own keys', () => {
    expect(ownValue({ email: false }, 'email')).toBe(false);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('does not read the inherited member %s', (key) => {
    expect(ownValue<boolean>({}, key)).toBeUndefined();
  });
});
