import { PermanentError } from '@notify/errors';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { DISCORD_DEFAULT_COLOUR, discordMessage, severityColour } from './discord-embed';

describe('severityColour', () => {
  it('follows seed 004', () => {
    expect(severityColour('critical')).toBe(15158332);
    expect(severityColour('warning')).toBe(16776960);
    expect(severityColour('info')).toBe(3066993);
    expect(severityColour('success')).toBe(3066993);
  });

  it('is gray for anything else, prototype keys included', () => {
    expect(severityColour('unknown')).toBe(DISCORD_DEFAULT_COLOUR);
    expect(severityColour('constructor')).toBe(8421504);
  });
});

describe('discordMessage', () => {
  it("sends the template's own embed instead, mentions still off, and refuses an embed that is not an object", () => {
    const d = sampleDispatch('discord', { tenant: 'acme' });
    const embed = { title: 'Margin call', description: 'ACC-7 owes **$5,000.00**', color: 15158332 };
    expect(discordMessage(d, { title: 't', body: 'b', data: {}, layout: embed })).toEqual({
      content: '',
      embeds: [embed],
      allowed_mentions: { parse: [] },
    });
    expect(() => discordMessage(d, { title: 't', body: 'b', data: {}, layout: [embed] })).toThrow(PermanentError);
  });
});
