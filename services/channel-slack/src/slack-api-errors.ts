/**
 * chat.postMessage answers HTTP 200 with `{ok: false, error}` for most failures. These errors are
 * Slack's own trouble and pass with time; every other one (channel_not_found, invalid_auth,
 * not_in_channel, is_archived, msg_too_long, ...) fails the same way on every try.
 */
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rate_limited',
  'team_added_to_org',
]);

export function isTransientSlackError(error: string): boolean {
  return TRANSIENT.has(error);
}
