import { DISCORD_DEFAULT_COLOUR, severityColour } from './discord-embed';

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
