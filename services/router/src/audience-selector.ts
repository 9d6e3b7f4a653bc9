/**
 * An event's `audience` field names one audience (`tier:TIER_1_SFO`) or several separated by commas
 * (`tier:TIER_1, tier:TIER_2`, seed 000's scarcity alert); members of any of them receive the event
 * once. Names are compared literally with the strings a Recipient lists in `audiences`.
 */
import { InvalidInputError } from '@notify/errors';

export const MAX_AUDIENCES_PER_EVENT = 16;
const MAX_AUDIENCE_LENGTH = 200;

export function parseAudienceSelector(selector: string | null): string[] {
  if (selector === null) return [];
  const names = [
    ...new Set(
      selector
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name.length > 0),
    ),
  ];
  if (names.length > MAX_AUDIENCES_PER_EVENT) {
    throw new InvalidInputError(
      'invalid_audience',
      `audience names ${names.length} audiences; at most ${MAX_AUDIENCES_PER_EVENT} are allowed`,
    );
  }
  const tooLong = names.find((name) => name.length > MAX_AUDIENCE_LENGTH);
  if (tooLong !== undefined) {
    throw new InvalidInputError(
      'invalid_audience',
      `audience name longer than ${MAX_AUDIENCE_LENGTH} characters: ${tooLong.slice(0, 40)}...`,
    );
  }
  return names;
}
