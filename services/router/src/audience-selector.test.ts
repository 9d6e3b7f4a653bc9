import { InvalidInputError } from '@notify/errors';
import { MAX_AUDIENCES_PER_EVENT, parseAudienceSelector } from './audience-selector';

describe('audience selector', () => {
  it('is empty for an event without an audience', () => {
    expect(parseAudienceSelector(null)).toEqual([]);
    expect(parseAudienceSelector(' , ')).toEqual([]);
  });

  it('names one audience literally', () => {
    expect(parseAudienceSelector('tier:TIER_1_SFO')).toEqual(['tier:TIER_1_SFO']);
  });

  it('names several audiences separated by commas, trimmed and each once', () => {
    expect(parseAudienceSelector('tier:TIER_1, tier:TIER_2,tier:TIER_1')).toEqual(['tier:TIER_1', 'tier:TIER_2']);
  });

  it('rejects more audiences than a page query should join', () => {
    const many = Array.from({ length: MAX_AUDIENCES_PER_EVENT + 1 }, (_, i) => `a${i}`).join(',');
    expect(() => parseAudienceSelector(many)).toThrow(InvalidInputError);
    expect(() => parseAudienceSelector(Array.from({ length: MAX_AUDIENCES_PER_EVENT }, (_, i) => `a${i}`).join(','))).not.toThrow();
  });

  it('rejects an absurdly long audience name', () => {
    expect(() => parseAudienceSelector(`tier:${'x'.repeat(300)}`)).toThrow(/longer than/);
  });
});
