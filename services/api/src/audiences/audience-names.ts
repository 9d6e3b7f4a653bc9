/**
 * Which audience names and member ids the membership API takes. An event names its audience as
 * kind:value (ingest rejects any other form) of at most 200 characters (the router's limit), so a
 * membership under any other name could never be reached. Member ids follow ingest's rule for an
 * event's recipients: 1 to 200 characters without a slash (the slash ends the tenant in a recipient key).
 * The route schemas are built from the same constants as the checks of imported lines.
 */
export const MAX_AUDIENCE_LENGTH = 200;
export const AUDIENCE_PATTERN = '^[A-Za-z0-9_-]+:[A-Za-z0-9_.:-]+$';
export const MAX_USER_ID_LENGTH = 200;
export const USER_ID_PATTERN = '^[^/]+$';

const audience = new RegExp(AUDIENCE_PATTERN);
const userId = new RegExp(USER_ID_PATTERN);

export const audienceSchema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_AUDIENCE_LENGTH,
  pattern: AUDIENCE_PATTERN,
  description: 'kind:value, as events name it in `audience` (e.g. tier:TIER_1_SFO)',
} as const;

export const userIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_USER_ID_LENGTH,
  pattern: USER_ID_PATTERN,
  description: 'A user id (no slash)',
} as const;

/** Why `name` cannot be an audience, or null when it can. */
export function audienceProblem(name: string): string | null {
  if (name.length > MAX_AUDIENCE_LENGTH) return `is longer than ${MAX_AUDIENCE_LENGTH} characters`;
  return audience.test(name) ? null : 'must look like kind:value, e.g. tier:TIER_1_SFO';
}

/** Why `id` cannot be a member's user id, or null when it can. */
export function userIdProblem(id: string): string | null {
  if (id.length === 0) return 'is empty';
  if (id.length > MAX_USER_ID_LENGTH) return `is longer than ${MAX_USER_ID_LENGTH} characters`;
  return userId.test(id) ? null : 'must not contain /';
}
