/**
 * Keeps each tenant endpoint's health around the webhook provider: a disabled endpoint is not called
 * (EndpointDisabledError, so the dispatch is dead-lettered as `endpoint_disabled` and replayed when
 * the endpoint is re-enabled); a failure that counts (no answer, 5xx/408, 410) is recorded and may
 * disable the endpoint (endpoint-health.ts); a success ends a failing streak; and an endpoint whose
 * sends keep getting no answer is refused at once by its circuit (endpoint-circuit.ts) instead of
 * each send waiting out the timeout. A user's own endpoint (the dispatch's address) is passed through.
 */
import { errorCode, errorMessage, RetryableError } from '@notify/errors';
import type { Dispatch } from '@notify/schemas';
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import type { EndpointCircuits } from './endpoint-circuit';
import { EndpointDisabledError, endpointFailureOf } from './endpoint-errors';
import { countsAsFailing, disabledDetail, disableReason, type DisablePolicy, type HealthRecord } from './endpoint-health';
import { endpointId, tenantEndpoint, type EndpointBook } from './endpoints';
import type { HealthStore } from './health-store';

/**
 * How long a replica trusts what it read of an endpoint that is not disabled. Another replica may
 * disable it meanwhile; this one then learns it at its next failure or read. A disabled record is
 * read again before every refusal, so a re-enable from the API takes effect at the next dispatch.
 */
export const HEALTH_READ_TTL_MS = 5_000;

export interface HealthCheckedOptions {
  inner: ChannelProvider;
  endpoints: EndpointBook;
  store: Pick<HealthStore, 'find' | 'recordFailure' | 'recordSuccess' | 'disable'>;
  circuits: EndpointCircuits;
  policy: DisablePolicy;
  log: { warn(fields: object, message: string): void };
  now?: () => number;
}

interface Target {
  tenant: string;
  endpoint: string;
  key: string;
}

export class HealthCheckedProvider implements ChannelProvider {
  readonly name: string;
  readonly dedupesByIdempotencyKey: boolean;
  readonly acceptanceIsDelivery: boolean;
  private readonly now: () => number;
  private readonly read = new Map<string, { record: HealthRecord | null; at: number }>();

  constructor(private readonly options: HealthCheckedOptions) {
    this.name = options.inner.name;
    this.dedupesByIdempotencyKey = options.inner.dedupesByIdempotencyKey;
    this.acceptanceIsDelivery = options.inner.acceptanceIsDelivery;
    this.now = options.now ?? Date.now;
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const target = this.targetOf(dispatch);
    if (!target) return this.options.inner.send(dispatch, message);
    const health = await this.current(target);
    if (health?.disabledAt) throw new EndpointDisabledError(disabledDetail(health));
    // Only a retry may test an endpoint whose circuit is open: a test that hangs holds up other
    // retries, never the dispatch topic.
    if (this.options.circuits.admit(target.key, dispatch.attempt > 0) === 'refuse') {
      const reason = health ? disableReason(health, 'unreachable', this.options.policy, this.now()) : null;
      if (reason) return this.disable(target, reason);
      throw new RetryableError('endpoint_circuit_open', `webhook endpoint ${target.endpoint} keeps not answering; not called for now`);
    }
    let result: SendResult;
    try {
      result = await this.options.inner.send(dispatch, message);
    } catch (error) {
      return this.failed(target, error);
    }
    this.options.circuits.answered(target.key);
    if (health?.failingSince) {
      await this.options.store.recordSuccess(target.tenant, target.endpoint, new Date(this.now()));
      this.read.set(target.key, { record: { ...health, failingSince: null, failures: 0 }, at: this.now() });
    }
    return result;
  }

  close(): Promise<void> {
    return this.options.inner.close?.() ?? Promise.resolve();
  }

  private targetOf(dispatch: Dispatch): Target | null {
    if (dispatch.address !== null) return null;
    const configured = tenantEndpoint(this.options.endpoints, dispatch.tenant);
    if (!configured) return null;
    const endpoint = endpointId(configured.url);
    return { tenant: dispatch.tenant, endpoint, key: `${dispatch.tenant}\u0000${endpoint}` };
  }

  private async current(target: Target): Promise<HealthRecord | null> {
    const cached = this.read.get(target.key);
    const now = this.now();
    if (cached && !cached.record?.disabledAt && now - cached.at < HEALTH_READ_TTL_MS) return cached.record;
    const record = await this.options.store.find(target.tenant, target.endpoint);
    this.read.set(target.key, { record, at: now });
    // Re-enabled (perhaps after another replica disabled it): start afresh, as after our own disable.
    if (cached?.record?.disabledAt && !record?.disabledAt) this.options.circuits.reset(target.key);
    return record;
  }

  private async failed(target: Target, error: unknown): Promise<never> {
    const failure = endpointFailureOf(error);
    if (failure === 'unreachable') this.options.circuits.unanswered(target.key);
    else this.options.circuits.answered(target.key);
    if (!countsAsFailing(failure)) throw error;
    const at = this.now();
    const record = await this.options.store.recordFailure(
      target.tenant,
      target.endpoint,
      new Date(at),
      `${errorCode(error)}: ${errorMessage(error)}`,
    );
    this.read.set(target.key, { record, at });
    // Disabled meanwhile by another replica: this dispatch waits for the re-enable like the others.
    if (record.disabledAt) throw new EndpointDisabledError(disabledDetail(record));
    const reason = disableReason(record, failure, this.options.policy, at);
    if (reason) return this.disable(target, reason);
    throw error;
  }

  private async disable(target: Target, reason: string): Promise<never> {
    const at = this.now();
    const { record, disabledNow } = await this.options.store.disable(target.tenant, target.endpoint, new Date(at), reason);
    this.read.set(target.key, { record, at });
    // Re-enabled later, it starts with a closed circuit rather than the failures that disabled it.
    this.options.circuits.reset(target.key);
    if (disabledNow) this.options.log.warn({ tenant: target.tenant, endpoint: target.endpoint, reason }, 'webhook endpoint disabled');
    throw new EndpointDisabledError(disabledDetail(record));
  }
}
