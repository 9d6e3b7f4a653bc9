import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const positive = z.coerce.number().int().positive();
const nonNegative = z.coerce.number().int().min(0);
const scale = z.coerce.number().positive().max(1000);

const schema = baseWorkerConfig.extend({
  /** A second intent with the same dedupe_key for the same recipient within this window is a duplicate. */
  DEDUPE_WINDOW_MS: positive.default(10 * 60_000),
  /** Seed 004: at most 10 messages a minute and 100 an hour per recipient (digests count as one). */
  RATE_LIMIT_PER_MINUTE: nonNegative.default(10),
  RATE_LIMIT_PER_HOUR: nonNegative.default(100),
  /** Critical alerts' own budget; beyond it they are collected into a short digest, never dropped. */
  CRITICAL_RATE_LIMIT_PER_MINUTE: nonNegative.default(30),
  CRITICAL_RATE_LIMIT_PER_HOUR: nonNegative.default(300),
  CRITICAL_OVERFLOW_WINDOW_MS: positive.default(60_000),
  /** Largest digest; a window that reaches it (or its rule's max_items) is sent at once. */
  DIGEST_MAX_ITEMS: positive.default(50),
  /** Multiplies every batching window; tests and demos shrink minutes to seconds with it. */
  BATCH_WINDOW_SCALE: scale.default(1),
  /** Multiplies every escalation delay, for the same reason. */
  ESCALATION_DELAY_SCALE: scale.default(1),
  /** JSON list of Alertmanager-style inhibit rules (see inhibition/inhibit-rules.ts); unset: the built-in rule. */
  INHIBIT_RULES: z.string().optional(),
  /** A JSON file with the same content; INHIBIT_RULES wins when both are set. */
  INHIBIT_RULES_PATH: z.string().optional(),
  /** How long a firing inhibition source stays active without a resolve, unless its rule says. */
  INHIBIT_SOURCE_TTL_MS: positive.default(60 * 60_000),
  /** How often due windows, deferrals and escalations are looked for. */
  TICK_INTERVAL_MS: positive.default(500),
  /** Recipients whose timers one tick transaction handles at most. */
  MAX_TIMERS_PER_TICK: positive.default(2_000),
});

export type AggregatorConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): AggregatorConfig {
  return parseConfig(schema, env, 'aggregator');
}
