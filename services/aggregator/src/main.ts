/** Wiring of the aggregator: a stateful, exactly-once worker over the recipient-keyed topics. */
import { readFileSync } from 'node:fs';
import { CHANNELS, dispatchTopic } from '@notify/schemas';
import { createLogger, createMetrics, groupId, runMain, startStatefulService, type RunningStatefulService } from '@notify/runner';
import { loadConfig } from './config';
import { AggregatorProcessor, STAGE, type AggregatorInput } from './processor';
import { TimeZones } from './preferences';
import { settingsFrom } from './settings';
import { aggregatorChangelog } from './state/changelog';
import type { RecipientState } from './state/recipient-state';

export type RunningAggregator = RunningStatefulService<AggregatorInput, 'notifications.aggregator-state', RecipientState>;

/** What a caller may substitute; tests move the aggregator's clock to a chosen instant (e.g. a DST change). */
export interface AggregatorDeps {
  /** Every decision, timer and status time of the aggregator reads this clock. */
  now?: () => number;
}

export async function main(env: Record<string, string | undefined> = process.env, deps: AggregatorDeps = {}): Promise<RunningAggregator> {
  const config = loadConfig(env);
  const log = createLogger('aggregator', config.LOG_LEVEL);
  const settings = settingsFrom(config, (path) => readFileSync(path, 'utf8'));
  const zones = new TimeZones();
  return startStatefulService(
    { service: 'aggregator', config, log, metrics: createMetrics('aggregator') },
    {
      stage: STAGE,
      groupId: groupId('notifications.aggregator', config),
      inputs: ['notifications.intents', 'notifications.acks'],
      tables: ['notifications.preferences', 'notifications.recipients'],
      outputs: [...CHANNELS.map(dispatchTopic), 'notifications.delivery-status'],
      changelog: aggregatorChangelog,
      createProcessor: (ctx) => new AggregatorProcessor(ctx, settings, zones),
    },
    { tickIntervalMs: config.TICK_INTERVAL_MS, now: deps.now ?? Date.now },
  );
}

runMain(module, main);
