/**
 * Inhibit rules, in Alertmanager's shape (JSON):
 *
 *   [{ "name": "critical daily loss silences its warnings",
 *      "source_matchers": ["type=\"DAILY_LOSS\"", "severity=\"critical\""],
 *      "target_matchers": ["severity=\"warning\""],
 *      "equal": ["type", "account_id"],
 *      "duration_ms": 3600000 }]
 *
 * While a source is firing for a recipient, that recipient's notifications matching the target
 * matchers with the same values of every `equal` label are suppressed as `inhibited`. Unlike
 * Alertmanager, an `equal` label must be present on both: a critical alert without an account must
 * not silence every warning of its type. A source stops firing on a resolve (an intent of the same
 * type and equal-label values whose label `status` is `resolved`) or after `duration_ms` (default
 * INHIBIT_SOURCE_TTL_MS) without firing again.
 */
import { z } from '@notify/runner';
import { parseMatcher, type Matcher } from './matcher';

export interface InhibitRule {
  name: string;
  source: Matcher[];
  target: Matcher[];
  equal: string[];
  durationMs: number | null;
}

const ruleSchema = z
  .object({
    name: z.string().min(1).optional(),
    source_matchers: z.array(z.string()).min(1),
    target_matchers: z.array(z.string()).min(1),
    equal: z.array(z.string().min(1)).default([]),
    duration_ms: z.number().int().positive().optional(),
  })
  .strict();

/** Seed 004: a firing critical alert suppresses warnings of the same type for the same account. */
export const BUILT_IN_INHIBIT_RULES = JSON.stringify([
  {
    name: 'critical inhibits warning of the same type and account',
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ['type', 'account_id'],
  },
]);

export function parseInhibitRules(json: string): InhibitRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`inhibit rules are not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = z.array(ruleSchema).safeParse(raw);
  if (!parsed.success)
    throw new Error(`invalid inhibit rules: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.map((r, index) => ({
    name: r.name ?? `inhibit rule ${index + 1}`,
    source: r.source_matchers.map(parseMatcher),
    target: r.target_matchers.map(parseMatcher),
    equal: r.equal,
    durationMs: r.duration_ms ?? null,
  }));
}
