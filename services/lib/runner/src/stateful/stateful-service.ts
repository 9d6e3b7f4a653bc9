/** The process around a StatefulWorker: Kafka client, registry codec, ops server and graceful stop. */
import { AvroCodec, type KafkaPort } from '@notify/kafka';
import type { TopicName } from '@notify/schemas';
import { kafkaFor } from '../service';
import type { RunningService, ServiceParts } from '../service-parts';
import { superviseLanes } from '../supervise';
import { startTracing } from '../tracing/start-tracing';
import { StatefulWorker } from './stateful-worker';
import type { StatefulSpec } from './types';

export interface RunningStatefulService<I extends TopicName, C extends TopicName, S> extends RunningService {
  worker: StatefulWorker<I, C, S>;
}

export async function startStatefulService<I extends TopicName, C extends TopicName, S>(
  parts: ServiceParts,
  spec: StatefulSpec<I, C, S>,
  options: { tickIntervalMs: number; now?: () => number },
  resources: { kafka?: KafkaPort; codec?: AvroCodec } = {},
): Promise<RunningStatefulService<I, C, S>> {
  const kafka = resources.kafka ?? kafkaFor(parts);
  const codec = resources.codec ?? (await AvroCodec.connect(parts.config.SCHEMA_REGISTRY_URL, []));
  const tracing = startTracing(parts.service, parts.config);
  const worker = new StatefulWorker(
    spec,
    {
      partitionsConcurrently: parts.config.PARTITIONS_CONCURRENTLY,
      chunkSize: parts.config.CHUNK_SIZE,
      tickIntervalMs: options.tickIntervalMs,
      retry: { initialMs: 200, maxMs: 10_000 },
      ...(options.now ? { now: options.now } : {}),
    },
    { kafka, codec, log: parts.log, metrics: parts.metrics },
  );
  const running = await superviseLanes(parts, kafka, [{ worker, groupId: spec.groupId, topics: spec.inputs }], { tracing });
  return { ...running, worker };
}
