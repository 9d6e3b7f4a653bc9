/**
 * The process around a channel worker: two consumer groups sharing one handler, one producer
 * connection set and one ops server. The dispatch group reads notifications.dispatch.<channel> and
 * never waits on a failing provider; the retry group reads notifications.retry.<channel> and waits
 * there for each retry's not_before, so slow retries hold up only other retries.
 */
import { AvroCodec, type KafkaPort } from '@notify/kafka';
import {
  groupId,
  kafkaFor,
  startTracing,
  superviseLanes,
  Worker,
  type DeadLetterPolicy,
  type Handler,
  type RunningService,
  type ServiceParts,
  type WorkerSettings,
} from '@notify/runner';
import { dispatchTopic, retryTopic, type Channel, type DispatchTopic, type RetryTopic, type TopicName } from '@notify/schemas';

export interface ChannelServiceSpec {
  channel: Channel;
  handler: Handler<DispatchTopic | RetryTopic>;
  deadLetter: DeadLetterPolicy;
  /** Topics the handler writes besides statuses, the DLQ and the retry topic (e.g. notifications.inbox). */
  extraOutputs?: readonly TopicName[];
}

export interface ChannelServiceResources {
  kafka?: KafkaPort;
  codec?: AvroCodec;
  onStop?: () => Promise<void>;
}

export const channelGroupId = (service: string, lane: 'dispatch' | 'retry', config: ServiceParts['config']): string =>
  groupId(lane === 'dispatch' ? `notifications.${service}` : `notifications.${service}.retry`, config);

export async function startChannelService(
  parts: ServiceParts,
  spec: ChannelServiceSpec,
  resources: ChannelServiceResources = {},
): Promise<RunningService> {
  const kafka = resources.kafka ?? kafkaFor(parts);
  const codec = resources.codec ?? (await AvroCodec.connect(parts.config.SCHEMA_REGISTRY_URL, []));
  const settings: WorkerSettings = {
    concurrency: parts.config.WORKER_CONCURRENCY,
    partitionsConcurrently: parts.config.PARTITIONS_CONCURRENTLY,
    chunkSize: parts.config.CHUNK_SIZE,
    retry: { initialMs: 200, maxMs: 30_000 },
  };
  const outputs: TopicName[] = [
    'notifications.delivery-status',
    'notifications.dlq',
    retryTopic(spec.channel),
    ...(spec.extraOutputs ?? []),
  ];
  const tracing = startTracing(parts.service, parts.config);
  const deps = { kafka, codec, log: parts.log, metrics: parts.metrics, tracer: tracing.tracer };
  const lanes = (['dispatch', 'retry'] as const).map((lane) => {
    const groupId = channelGroupId(parts.service, lane, parts.config);
    const inputs = [lane === 'dispatch' ? dispatchTopic(spec.channel) : retryTopic(spec.channel)];
    const worker = new Worker<DispatchTopic | RetryTopic>(
      { stage: `channel-${spec.channel}`, groupId, inputs, outputs, handler: spec.handler, deadLetter: spec.deadLetter },
      settings,
      deps,
    );
    return { worker, groupId, topics: inputs };
  });
  return superviseLanes(parts, kafka, lanes, { onStop: resources.onStop, tracing });
}
