/**
 * What a service actually reads and consumes, asked of the service's own code rather than copied
 * into the test.
 *
 * Environment keys: every config.ts parses `process.env` through a zod object schema, which keeps
 * the keys it declares and strips every other one. So a key a manifest sets is read by the service
 * exactly when it survives `loadConfig(env)`. This uses the real schema (shared keys from
 * services/lib/runner included) without the schema being exported, and it also proves the values
 * parse. Scraping `NAME:` out of the sources would miss keys spread in from elsewhere and match
 * comments.
 *
 * Consumer groups and their topics: the service's real main() is run with one substitution, the
 * Kafka port's factory `createKafka` (services/lib/kafka), which every consumer of every service is
 * built through (the runner's Worker, the stateful worker, the channel lanes, the router's index
 * consumer, the API's WebSocket fan-out). The substitute records each `consumer({groupId, ...})` and
 * the topics it `subscribe`s, and otherwise accepts everything without a broker. Recording at the
 * port, instead of replacing startWorkerService or parsing main.ts, sees a service with three
 * groups, a group created outside the runner, or a group name computed at start (per instance) the
 * same way, and keeps working when a service changes how it builds its workers. The registry and
 * Postgres are the real local ones (main() registers schemas and runs migrations as in production).
 */
import { join } from 'node:path';
import type { AdminPort, ConsumerOptions, ConsumerPort, KafkaPort, ProducerPort, Transaction } from '@notify/kafka';
import { stackEnv } from '../../scripts/src/stack-env';
import { REPO_ROOT } from '../support/repo';

export type Env = Record<string, string>;

/** One consumer a service created: its group and the topics it subscribed. */
export interface ConsumerWiring {
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts; the port's default is the beginning. */
  fromBeginning: boolean;
}

type LoadConfig = (env: Record<string, string | undefined>) => object;
type Main = (env: Record<string, string | undefined>) => Promise<{ stop(): Promise<void> }>;

export function loadServiceConfig(service: string, env: Env): Record<string, unknown> {
  // jest's own require: the only synchronous load that goes through jest's module registry and mocks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(REPO_ROOT, 'services', service, 'src', 'config.ts')) as { loadConfig?: LoadConfig };
  if (typeof mod.loadConfig !== 'function') throw new Error(`services/${service}/src/config.ts exports no loadConfig`);
  return { ...mod.loadConfig(env) };
}

/** The keys of `env` the service's config schema does not declare. */
export function unreadKeys(service: string, env: Env): string[] {
  const parsed = loadServiceConfig(service, env);
  return Object.keys(env)
    .filter((key) => !(key in parsed))
    .sort();
}

const asyncNoop = async (): Promise<void> => {};

/** A Kafka port that records consumers and otherwise does nothing: no records, no assignments. */
export function recordingKafka(recorded: ConsumerWiring[]): KafkaPort {
  const producer = (): ProducerPort => ({
    connect: asyncNoop,
    send: asyncNoop,
    disconnect: asyncNoop,
    transaction: async (): Promise<Transaction> => ({ send: asyncNoop, sendOffsets: asyncNoop, commit: asyncNoop, abort: asyncNoop }),
  });
  const consumer = (options: ConsumerOptions): ConsumerPort => {
    const entry: ConsumerWiring = { groupId: options.groupId, topics: [], fromBeginning: options.fromBeginning ?? true };
    recorded.push(entry);
    return {
      connect: asyncNoop,
      subscribe: async (topics) => {
        entry.topics.push(...topics);
      },
      run: asyncNoop,
      onAssignment: () => {},
      disconnect: asyncNoop,
    };
  };
  const admin = (): AdminPort => ({
    connect: asyncNoop,
    disconnect: asyncNoop,
    listTopics: async () => [],
    createTopics: asyncNoop,
    deleteTopics: asyncNoop,
    deleteGroups: asyncNoop,
    topicPartitions: async () => 0,
    groupLag: async () => [],
    committedOffsets: async () => [],
  });
  return { producer, consumer, admin, readToEnd: async () => [] };
}

/**
 * Runs the service's main() with `env` (its connection endpoints pointed at the local registry and
 * Postgres, every listening port at 0), stops it again and returns the consumers it created.
 */
export async function captureWiring(service: string, env: Env): Promise<ConsumerWiring[]> {
  const recorded: ConsumerWiring[] = [];
  let main: Main | undefined;
  jest.isolateModules(() => {
    jest.doMock('@notify/kafka', () => {
      const actual = jest.requireActual<Record<string, unknown>>('@notify/kafka');
      return { ...actual, createKafka: () => recordingKafka(recorded) };
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- inside isolateModules, with the recording Kafka mocked in
    main = (require(join(REPO_ROOT, 'services', service, 'src', 'main.ts')) as { main?: Main }).main;
  });
  if (typeof main !== 'function') throw new Error(`services/${service}/src/main.ts exports no main`);
  const local = stackEnv(process.env);
  // Quiet, and no fixed ports: the manifest's ports are checked separately; here they could clash
  // with services running on this machine.
  const running = await main({
    ...env,
    SCHEMA_REGISTRY_URL: local.registryUrl,
    DATABASE_URL: local.databaseUrl,
    LOG_LEVEL: 'silent',
    OPS_PORT: '0',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    FEEDBACK_PORT: '0',
  });
  await running.stop();
  return recorded;
}

/** Group and topic pairs, one per subscribed topic, sorted: what lag-based scaling has to cover. */
export function groupTopics(wiring: readonly ConsumerWiring[]): string[] {
  return [...new Set(wiring.flatMap((c) => c.topics.map((t) => `${c.groupId} ${t}`)))].sort();
}
