/**
 * At most `max` verification starts within a sliding window, per user and per phone number: the
 * first protects our SMS budget, the second protects the owner of a number someone else typed in.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** `recentStarts`: epoch ms of starts inside the window ending now, in any order. */
export function decideStart(recentStarts: readonly number[], max: number, windowMs: number, now: number): RateDecision {
  const inWindow = recentStarts.filter((t) => t > now - windowMs).sort((a, b) => a - b);
  if (inWindow.length < max) return { allowed: true };
  // One start must leave the window for each one over the limit, plus one to make room.
  const mustExpire = inWindow[inWindow.length - max] ?? now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((mustExpire + windowMs - now) / 1000)) };
}

export function stricter(a: RateDecision, b: RateDecision): RateDecision {
  if (a.allowed) return b;
  if (b.allowed) return a;
  return a.retryAfterSeconds >= b.retryAfterSeconds ? a : b;
}
