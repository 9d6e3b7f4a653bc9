import { sayTwiml } from './twilio-voice-provider';

describe('sayTwiml', () => {
  it('reads the text with <Say> in the recipient language, XML-escaped', () => {
    const twiml = sayTwiml('Margin call on <acc> & co', 'fr-CA');
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-FR">Margin call on &lt;acc&gt; &amp; co</Say></Response>',
    );
  });

  it('falls back to en-US for languages it does not map', () => {
    expect(sayTwiml('hi', 'xx')).toContain('<Say language="en-US">hi</Say>');
  });
});
