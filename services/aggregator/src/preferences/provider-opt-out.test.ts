import { optedOutAtProvider } from './provider-opt-out';
import { testRecipient } from './test-fixtures';

describe('optedOutAtProvider', () => {
  it('is true only for the channels the provider reported', () => {
    const recipient = testRecipient({ opted_out: ['sms'] });
    expect(optedOutAtProvider(recipient, 'sms')).toBe(true);
    expect(optedOutAtProvider(recipient, 'voice')).toBe(false);
  });

  it('is false without a recipient record', () => {
    expect(optedOutAtProvider(null, 'sms')).toBe(false);
  });
});
