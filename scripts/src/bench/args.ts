/** The bench's command line: `--events 20000`, `--relay-events N`, `--skip-relay`, `--env KEY=VALUE`, ... */

export interface BenchArgs {
  /** Events produced in the pipeline phase. */
  events: number;
  /** Records produced in the relay phase (defaults to `events`). */
  relayEvents: number;
  skipRelay: boolean;
  skipPipeline: boolean;
  /**
   * Distinct recipients the pipeline events are spread over, so they spread over partitions. By
   * default one per EVENTS_PER_USER events: the aggregator rate-limits each recipient (10 a minute by
   * default), and a rate-limited notification is suppressed, not delivered.
   */
  users: number;
  /**
   * Records per producer send call: 500 as fast as possible; with --rate, a twentieth of a second's
   * worth, so a steady rate is not really bursts of 500.
   */
  batchSize: number;
  /** Send calls allowed in flight at once. */
  inFlight: number;
  /** Produce at this many records per second instead of as fast as possible (latency at a steady load). */
  rate: number | null;
  /** How long to wait, after the last record was acknowledged, for the rest to come through. */
  drainTimeoutMs: number;
  /** Hard limit for the whole run; everything is stopped when it passes. */
  overallTimeoutMs: number;
  /** Extra environment for the pipeline's service processes, to explore their settings. */
  serviceEnv: Record<string, string>;
  /** partitionsConcurrently of the relay consumer; 3 is what every service worker uses by default. */
  relayPartitionsConcurrently: number;
}

const EVENTS_PER_USER = 5;

const USAGE = `usage: npm run bench -- [--events N] [--relay-events N] [--skip-relay] [--skip-pipeline]
  [--users N] [--batch N] [--in-flight N] [--rate EVENTS_PER_S] [--relay-partitions-concurrently N]
  [--drain-timeout SECONDS] [--timeout SECONDS] [--env KEY=VALUE]...`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

function positiveInteger(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a positive integer, got ${raw ?? 'nothing'}`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  // `--flag=value` and `--flag value` both work.
  const tokens = argv.flatMap((a) =>
    a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a],
  );
  let events = 20_000;
  let relayEvents: number | null = null;
  let users: number | null = null;
  let batchSize: number | null = null;
  const args: Omit<BenchArgs, 'events' | 'relayEvents' | 'users' | 'batchSize'> = {
    skipRelay: false,
    skipPipeline: false,
    inFlight: 4,
    rate: null,
    drainTimeoutMs: 600_000,
    overallTimeoutMs: 1_800_000,
    serviceEnv: {},
    relayPartitionsConcurrently: 3,
  };
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i] as string;
    const value = (): string | undefined => tokens[++i];
    switch (flag) {
      case '--events':
        events = positiveInteger(flag, value());
        break;
      case '--relay-events':
        relayEvents = positiveInteger(flag, value());
        break;
      case '--skip-relay':
        args.skipRelay = true;
        break;
      case '--skip-pipeline':
        args.skipPipeline = true;
        break;
      case '--users':
        users = positiveInteger(flag, value());
        break;
      case '--batch':
        batchSize = positiveInteger(flag, value());
        break;
      case '--in-flight':
        args.inFlight = positiveInteger(flag, value());
        break;
      case '--rate':
        args.rate = positiveInteger(flag, value());
        break;
      case '--relay-partitions-concurrently':
        args.relayPartitionsConcurrently = positiveInteger(flag, value());
        break;
      case '--drain-timeout':
        args.drainTimeoutMs = positiveInteger(flag, value()) * 1000;
        break;
      case '--timeout':
        args.overallTimeoutMs = positiveInteger(flag, value()) * 1000;
        break;
      case '--env': {
        const pair = value() ?? '';
        const eq = pair.indexOf('=');
        if (eq < 1) throw new UsageError(`--env needs KEY=VALUE, got ${pair || 'nothing'}`);
        args.serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown argument ${flag}`);
    }
  }
  if (args.skipRelay && args.skipPipeline) throw new UsageError('--skip-relay and --skip-pipeline together leave nothing to run');
  return {
    ...args,
    events,
    relayEvents: relayEvents ?? events,
    users: users ?? Math.max(1000, Math.ceil(events / EVENTS_PER_USER)),
    batchSize: batchSize ?? (args.rate === null ? 500 : Math.max(1, Math.ceil(args.rate / 20))),
  };
}
