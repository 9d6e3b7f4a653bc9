/** The aggregator's decision settings, taken from its configuration once at start. */
import type { AggregatorConfig } from './config';
import { Inhibition } from './inhibition/inhibition';
import { BUILT_IN_INHIBIT_RULES, parseInhibitRules } from './inhibition/inhibit-rules';
import type { RateBudget } from './state/rate-limit';

export interface AggregatorSettings {
  dedupeWindowMs: number;
  rate: RateBudget;
  criticalRate: RateBudget;
  criticalOverflowWindowMs: number;
  digestMaxItems: number;
  batchWindowScale: number;
  escalationDelayScale: number;
  inhibition: Inhibition;
  maxTimersPerTick: number;
}

export function settingsFrom(config: AggregatorConfig, readFile: (path: string) => string): AggregatorSettings {
  const rulesJson = config.INHIBIT_RULES ?? (config.INHIBIT_RULES_PATH ? readFile(config.INHIBIT_RULES_PATH) : BUILT_IN_INHIBIT_RULES);
  return {
    dedupeWindowMs: config.DEDUPE_WINDOW_MS,
    rate: { perMinute: config.RATE_LIMIT_PER_MINUTE, perHour: config.RATE_LIMIT_PER_HOUR },
    criticalRate: { perMinute: config.CRITICAL_RATE_LIMIT_PER_MINUTE, perHour: config.CRITICAL_RATE_LIMIT_PER_HOUR },
    criticalOverflowWindowMs: config.CRITICAL_OVERFLOW_WINDOW_MS,
    digestMaxItems: config.DIGEST_MAX_ITEMS,
    batchWindowScale: config.BATCH_WINDOW_SCALE,
    escalationDelayScale: config.ESCALATION_DELAY_SCALE,
    inhibition: new Inhibition(parseInhibitRules(rulesJson), config.INHIBIT_SOURCE_TTL_MS),
    maxTimersPerTick: config.MAX_TIMERS_PER_TICK,
  };
}
