/**
 * Builds the standard process around one worker: Kafka client, registry codec, ops server, and a
 * graceful stop. A service's main.ts calls this with its handler and nothing else Kafka-shaped.
 */
import { AvroCodec, createKafka, type KafkaPort } from '@notify/kafka';
import type { TopicName } from '@notify/schemas';
import type { BaseWorkerConfig } from './config';
import type { RunningService, ServiceParts } from './service-parts';
import { superviseLanes } from './supervise';
import { startTracing, type Tracing } from './tracing/start-tracing';
import { Worker, type WorkerSpec } from './worker';

export function kafkaFor(parts: ServiceParts): KafkaPort {
  return createKafka({
    clientId: parts.service,
    brokers: parts.config.KAFKA_BROKERS,
    logger: parts.log,
    namespace: parts.config.KAFKA_NAMESPACE,
  });
}

export function groupId(base: string, config: BaseWorkerConfig): string {
  return config.GROUP_SUFFIX ? `${base}.${config.GROUP_SUFFIX}` : base;
}

export async function startWorkerService<I extends TopicName>(
  parts: ServiceParts,
  spec: WorkerSpec<I>,
  resources: { kafka?: KafkaPort; codec?: AvroCodec; onStop?: () => Promise<void>; tracing?: Tracing } = {},
): Promise<RunningService> {
  const kafka = resources.kafka ?? kafkaFor(parts);
  const codec = resources.codec ?? (await AvroCodec.connect(parts.config.SCHEMA_REGISTRY_URL, []));
  // A caller that passes its own tracing (ingest also traces HTTP) owns its shutdown.
  const ownTracing = resources.tracing ? null : startTracing(parts.service, parts.config);
  const tracing = resources.tracing ?? ownTracing;
  const worker = new Worker(
    spec,
    {
      concurrency: parts.config.WORKER_CONCURRENCY,
      partitionsConcurrently: parts.config.PARTITIONS_CONCURRENTLY,
      chunkSize: parts.config.CHUNK_SIZE,
      retry: { initialMs: 200, maxMs: 30_000 },
    },
    { kafka, codec, log: parts.log, metrics: parts.metrics, tracer: tracing?.tracer },
  );
  return superviseLanes(parts, kafka, [{ worker, groupId: spec.groupId, topics: spec.inputs }], {
    onStop: resources.onStop,
    tracing: ownTracing,
  });
}

/**
 * Stops the service on SIGTERM or SIGINT and exits; a second signal exits at once. Given the service
 * while it is still starting, a signal waits for the start to finish and then stops it, so a
 * signal that arrives after /health/ready answers but before main() returns still stops gracefully.
 */
export function exitOnSignals(service: { stop(): Promise<void> } | Promise<{ stop(): Promise<void> }>): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    process.stderr.write(`${JSON.stringify({ level: 30, msg: 'shutting down', signal })}\n`);
    Promise.resolve(service)
      .then((started) => started.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`${JSON.stringify({ level: 50, msg: 'shutdown failed', err: String(err) })}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * Runs main() when the file is executed directly (not when a test imports it): a startup failure
 * becomes one clear line and exit 1; the service stops gracefully on SIGTERM, from the first moment
 * it runs (the handlers are installed before main() starts).
 */
export function runMain(mod: NodeJS.Module, main: () => Promise<{ stop(): Promise<void> }>): void {
  if (require.main !== mod) return;
  let running: (service: { stop(): Promise<void> }) => void = () => undefined;
  exitOnSignals(new Promise((resolve) => (running = resolve)));
  main().then(running, (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
