import { StatusValues } from './generated/DeliveryStatus';
import { deliveryStatus, isTerminal, TERMINAL_STATUSES } from './status';

describe('delivery statuses', () => {
  it('treats delivered, failed, suppressed and dead_lettered as terminal', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['dead_lettered', 'delivered', 'failed', 'suppressed']);
    for (const s of TERMINAL_STATUSES) expect(isTerminal(s)).toBe(true);
  });

  it('treats every other status of the schema as not terminal', () => {
    const others = StatusValues.filter((s) => !TERMINAL_STATUSES.includes(s));
    expect(others).toEqual(
      expect.arrayContaining(['accepted', 'routed', 'queued', 'sent', 'retrying', 'read', 'acknowledged', 'escalated', 'batched']),
    );
    for (const s of others) expect(isTerminal(s)).toBe(false);
  });

  it('sets the terminal flag of a built record from its status', () => {
    const base = { notification_id: 'n', event_id: 'e', tenant: 't', stage: 'test', occurred_at: 1, at: 2 };
    expect(deliveryStatus({ ...base, status: 'delivered' }).terminal).toBe(true);
    expect(deliveryStatus({ ...base, status: 'suppressed' }).terminal).toBe(true);
    expect(deliveryStatus({ ...base, status: 'routed' }).terminal).toBe(false);
    expect(deliveryStatus({ ...base, status: 'retrying' }).terminal).toBe(false);
  });

  it('fills optional fields with null, attempt and replay with 0, and keeps the given fields', () => {
    expect(
      deliveryStatus({ notification_id: 'n', event_id: 'e', tenant: 't', status: 'queued', stage: 'aggregator', occurred_at: 10, at: 20 }),
    ).toEqual({
      notification_id: 'n',
      event_id: 'e',
      tenant: 't',
      recipient: null,
      channel: null,
      type: null,
      status: 'queued',
      reason: null,
      detail: null,
      stage: 'aggregator',
      provider: null,
      attempt: 0,
      terminal: false,
      occurred_at: 10,
      at: 20,
      replay: 0,
    });
  });

  it('carries the replay number a replayed dispatch gives its statuses', () => {
    const replayed = deliveryStatus({
      notification_id: 'n',
      event_id: 'e',
      tenant: 't',
      status: 'delivered',
      stage: 'channel-webhook',
      occurred_at: 1,
      at: 2,
      replay: 2,
    });
    expect(replayed).toMatchObject({ replay: 2, terminal: true });
  });

  it('stamps the current time when `at` is not given', () => {
    const before = Date.now();
    const { at } = deliveryStatus({ notification_id: 'n', event_id: 'e', tenant: 't', status: 'queued', stage: 's', occurred_at: 1 });
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
