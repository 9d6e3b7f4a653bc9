/** Drives an AggregatorProcessor the way the stateful runner does, without Kafka, for unit tests. */
import { createLogger, createMetrics, JournaledStore, type Output, type TableView } from '@notify/runner';
import {
  intentId,
  notificationId,
  type Ack,
  type DeliveryStatus,
  type Dispatch,
  type Intent,
  type Preferences,
  type Recipient,
  type TopicName,
  type ValueOf,
} from '@notify/schemas';
import { loadConfig } from './config';
import { AggregatorProcessor } from './processor';
import { TimeZones } from './preferences';
import { settingsFrom } from './settings';
import { cloneState, type RecipientState } from './state/recipient-state';

export const T0 = Date.parse('2026-03-02T12:00:00Z');
export const RECIPIENT = 'acme/u1';

export function intent(eventId: string, overrides: Partial<Intent> = {}): Intent {
  const channels = overrides.channels ?? ['inapp'];
  const recipient = overrides.recipient ?? RECIPIENT;
  const ids: Record<string, string> = {};
  for (const c of channels) ids[c] = notificationId(eventId, recipient, c);
  return {
    intent_id: intentId(eventId, recipient),
    event_id: eventId,
    tenant: 'acme',
    recipient,
    user_id: 'u1',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    channels,
    notification_ids: ids,
    template: 'order.filled',
    priority: 'normal',
    rule: null,
    bypass_quiet_hours: false,
    mandatory: false,
    batching: null,
    escalation: [],
    payload: '{"symbol":"AAPL"}',
    dedupe_key: null,
    labels: {},
    inhibit_labels: [],
    occurred_at: T0 - 1000,
    routed_at: T0 - 500,
    team_channels: [],
    ...overrides,
  };
}

class MapTables implements TableView {
  readonly values = new Map<string, unknown>();

  get<T extends TopicName>(topic: T, key: string): ValueOf<T> | undefined {
    return this.values.get(`${topic}|${key}`) as ValueOf<T> | undefined;
  }
}

export class Harness {
  readonly state = new JournaledStore<RecipientState>(cloneState);
  private readonly tables = new MapTables();
  readonly processor: AggregatorProcessor;

  constructor(env: Record<string, string> = {}) {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
    this.processor = new AggregatorProcessor(
      {
        partition: 0,
        tables: this.tables,
        state: this.state,
        log: createLogger('aggregator-test', 'silent'),
        metrics: createMetrics('aggregator-test'),
      },
      settingsFrom(config, () => {
        throw new Error('no files in unit tests');
      }),
      new TimeZones(),
    );
  }

  preferences(value: Partial<Preferences>, key = RECIPIENT): void {
    this.tables.values.set(`notifications.preferences|${key}`, {
      tenant: 'acme',
      user_id: 'u1',
      channels: {},
      types: {},
      severity_filter: 'all',
      frequency_limits: {},
      quiet_hours: null,
      updated_at: 0,
      ...value,
    } satisfies Preferences);
  }

  recipient(value: Partial<Recipient>, key = RECIPIENT): void {
    this.tables.values.set(`notifications.recipients|${key}`, {
      tenant: 'acme',
      user_id: 'u1',
      email: 'u1@example.com',
      email_verified: true,
      phone: '+15555550100',
      phone_verified: true,
      timezone: 'UTC',
      locale: 'en',
      audiences: [],
      push_subscriptions: [],
      chat: {},
      opted_out: [],
      devices: [],
      updated_at: 0,
      ...value,
    } satisfies Recipient);
  }

  intent(value: Intent, now: number): Output[] {
    return this.unit(() =>
      this.processor.handle(
        { topic: 'notifications.intents', partition: 0, offset: '0', key: value.recipient, value, headers: {}, timestamp: now },
        now,
      ),
    );
  }

  ack(value: Ack, now: number): Output[] {
    return this.unit(() =>
      this.processor.handle(
        { topic: 'notifications.acks', partition: 0, offset: '0', key: RECIPIENT, value, headers: {}, timestamp: now },
        now,
      ),
    );
  }

  tick(now: number): Output[] {
    return this.unit(() => (this.processor.hasDueTimers(now) ? this.processor.tick(now) : []));
  }

  /** One unit of work, committed, as one transaction of the runner. */
  private unit(work: () => Output[]): Output[] {
    this.state.begin();
    const outputs = work();
    const dirty = this.state.dirtyKeys();
    this.state.commit();
    this.processor.reindex(dirty);
    return outputs;
  }
}

export function dispatches(outputs: Output[]): Dispatch[] {
  return outputs.filter((o) => o.topic.startsWith('notifications.dispatch.')).map((o) => o.value as Dispatch);
}

export function statuses(outputs: Output[]): DeliveryStatus[] {
  return outputs.filter((o) => o.topic === 'notifications.delivery-status').map((o) => o.value as DeliveryStatus);
}

/** [status, reason] per status record, for compact assertions. */
export function verdicts(outputs: Output[]): Array<[string, string | null]> {
  return statuses(outputs).map((s) => [s.status, s.reason]);
}
