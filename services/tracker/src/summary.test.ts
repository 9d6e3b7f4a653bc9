import { deliveryStatus, type DeliveryStatus } from '@notify/schemas';
import { statusEventRows, summaryRows } from './summary';

const T0 = Date.UTC(2024, 0, 15, 10, 0, 0);

function status(fields: Partial<DeliveryStatus> & Pick<DeliveryStatus, 'status' | 'stage'>, at: number): DeliveryStatus {
  return deliveryStatus({ notification_id: 'n1', event_id: 'e1', tenant: 'acme', occurred_at: T0, ...fields, at });
}

describe('summaryRows', () => {
  it('keeps the latest status, the terminal one with its reason and the earliest times', () => {
    const [row] = summaryRows([
      status({ status: 'routed', stage: 'router', recipient: 'u1', type: 'MARGIN_CALL' }, T0 + 10),
      status({ status: 'queued', stage: 'aggregator', channel: 'webhook' }, T0 + 20),
      status({ status: 'retrying', stage: 'channel-webhook', channel: 'webhook', reason: 'http_503' }, T0 + 30),
      status({ status: 'failed', stage: 'channel-webhook', channel: 'webhook', reason: 'http_410', terminal: true }, T0 + 40),
    ]);
    expect(row).toEqual({
      notification_id: 'n1',
      event_id: 'e1',
      tenant: 'acme',
      recipient: 'u1',
      channel: 'webhook',
      type: 'MARGIN_CALL',
      latest_status: 'failed',
      latest_at: new Date(T0 + 40),
      terminal_status: 'failed',
      terminal_at: new Date(T0 + 40),
      terminal_replay: 0,
      reason: 'http_410',
      occurred_at: new Date(T0),
      created_at: new Date(T0 + 10),
    });
  });

  it("lets a replay's terminal supersede the dead letter it replayed, in any arrival order, but not a redelivered copy of a run", () => {
    const dead = status(
      { status: 'dead_lettered', stage: 'channel-webhook', channel: 'webhook', reason: 'http_410', terminal: true },
      T0 + 40,
    );
    const replayed = status({ status: 'delivered', stage: 'channel-webhook', channel: 'webhook', terminal: true, replay: 1 }, T0 + 90);
    const again = status({ status: 'delivered', stage: 'channel-webhook', channel: 'webhook', terminal: true, replay: 1 }, T0 + 95);
    for (const order of [
      [dead, replayed, again],
      [again, replayed, dead],
    ]) {
      expect(summaryRows(order)[0]).toMatchObject({
        terminal_status: 'delivered',
        terminal_replay: 1,
        terminal_at: new Date(T0 + 90),
        reason: null,
      });
    }
  });

  it('does not depend on the order records arrive in', () => {
    const statuses = [
      status({ status: 'routed', stage: 'router' }, T0 + 10),
      status({ status: 'delivered', stage: 'channel-inapp', channel: 'inapp', terminal: true }, T0 + 50),
      status({ status: 'queued', stage: 'aggregator', channel: 'inapp' }, T0 + 20),
    ];
    expect(summaryRows([...statuses].reverse())).toEqual(summaryRows(statuses));
    expect(summaryRows(statuses)[0]).toMatchObject({
      latest_status: 'delivered',
      terminal_status: 'delivered',
      created_at: new Date(T0 + 10),
    });
  });

  it('gives each notification its own row', () => {
    const rows = summaryRows([
      status({ status: 'delivered', stage: 'channel-inapp', terminal: true }, T0 + 5),
      status({ notification_id: 'n2', status: 'suppressed', stage: 'aggregator', reason: 'quiet_hours_deferred', terminal: true }, T0 + 6),
    ]);
    expect(rows.map((r) => [r.notification_id, r.terminal_status, r.reason])).toEqual([
      ['n1', 'delivered', null],
      ['n2', 'suppressed', 'quiet_hours_deferred'],
    ]);
  });
});

describe('statusEventRows', () => {
  it('writes a repeated (notification, status, stage) once, keeping the newest attempt', () => {
    const rows = statusEventRows([
      status({ status: 'retrying', stage: 'channel-webhook', attempt: 1 }, T0 + 1),
      status({ status: 'retrying', stage: 'channel-webhook', attempt: 2 }, T0 + 2),
      status({ status: 'retrying', stage: 'channel-email', attempt: 1 }, T0 + 3),
    ]);
    expect(rows.map((r) => [r.stage, r.attempt])).toEqual([
      ['channel-webhook', 2],
      ['channel-email', 1],
    ]);
  });

  it('keeps a `sent` closed by the feedback timeout terminal, whichever of the two sent records comes last', () => {
    const accepted = status({ status: 'sent', stage: 'channel-sms', channel: 'sms' }, T0 + 1);
    const timedOut = { ...status({ status: 'sent', stage: 'channel-sms', channel: 'sms', reason: 'no_feedback' }, T0 + 2), terminal: true };
    expect(statusEventRows([accepted, timedOut]).map((r) => [r.status, r.terminal, r.reason])).toEqual([['sent', true, 'no_feedback']]);
    expect(statusEventRows([timedOut, accepted]).map((r) => [r.status, r.terminal])).toEqual([['sent', true]]);
    expect(summaryRows([accepted, timedOut])[0]).toMatchObject({
      terminal_status: 'sent',
      reason: 'no_feedback',
      terminal_at: new Date(T0 + 2),
    });
  });
});
