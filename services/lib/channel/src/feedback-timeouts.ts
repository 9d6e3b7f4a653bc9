/**
 * How long a channel waits for its provider's report on an accepted message before closing it as
 * `sent` with reason `no_feedback`. Each is the longest a report can legitimately take at that
 * provider, with room to spare, so the timeout closes only messages whose report is not coming.
 */
import type { Channel } from '@notify/schemas';

const HOUR = 3_600_000;

export const FEEDBACK_TIMEOUTS_MS: Readonly<Partial<Record<Channel, number>>> = {
  // Twilio holds an SMS in its queue for up to 10 h (ValidityPeriod, at most 36,000 s) before failing
  // it (30001/30036), and the carrier's delivery receipt follows the hand-off; 24 h covers both.
  sms: 24 * HOUR,
  // A call reports `completed` (or busy, no-answer) when it ends: queued behind the account's calls per
  // second, ringing for up to 60 s, then at most its TimeLimit, 4 h (14,400 s) by default.
  voice: 6 * HOUR,
  // SendGrid retries a deferred email for 72 h before reporting it bounced (expired), and retries a
  // failed event webhook POST for up to 24 h after the event.
  email: 96 * HOUR,
};

/** For a channel whose provider starts reporting later and has no entry above. */
const DEFAULT_FEEDBACK_TIMEOUT_MS = 24 * HOUR;

/** The channel's timeout, or the deployment's FEEDBACK_TIMEOUT_MS when set (tests use seconds). */
export function feedbackTimeoutMs(channel: Channel, override?: number): number {
  return override ?? FEEDBACK_TIMEOUTS_MS[channel] ?? DEFAULT_FEEDBACK_TIMEOUT_MS;
}
