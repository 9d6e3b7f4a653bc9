/** Builds Dispatch records and produces them straight to a pipeline's dispatch topics, as the aggregator would. */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { Channel, Dispatch } from '@notify/schemas';

export function makeDispatch(channel: Channel, over: Partial<Dispatch> & { tenant: string; user_id: string }): Dispatch {
  const id = `ntf_${channel}_${randomUUID()}`;
  const now = Date.now();
  return {
    notification_id: id,
    idempotency_key: id,
    event_id: `evt-${randomUUID()}`,
    recipient: `${over.tenant}/${over.user_id}`,
    channel,
    type: 'MARGIN_CALL',
    severity: 'critical',
    severity_label: 'critical',
    template: 'risk.margin_call',
    priority: 'high',
    locale: 'en',
    address: null,
    payload: JSON.stringify({ account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: now,
    created_at: now,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    ...over,
  };
}

export interface DispatchProducer {
  send(namespace: string, dispatch: Dispatch, key?: string): Promise<void>;
  close(): Promise<void>;
}

export async function dispatchProducer(brokers: string[], registryUrl: string): Promise<DispatchProducer> {
  const registry = new SchemaRegistry({ host: registryUrl });
  const producer: Producer = new Kafka({ clientId: 'test-dispatcher', brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  return {
    send: async (namespace, dispatch, key) => {
      const topic = `notifications.dispatch.${dispatch.channel}`;
      const id = await registry.getLatestSchemaId(`${topic}-value`);
      await producer.send({
        topic: namespace + topic,
        messages: [{ key: key ?? dispatch.recipient, value: await registry.encode(id, dispatch) }],
      });
    },
    close: () => producer.disconnect(),
  };
}
