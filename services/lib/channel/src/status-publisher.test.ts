import { feedbackStatuses, noFeedbackStatuses } from './status-publisher';
import type { LoggedMessage } from './message-log';

const T0 = Date.parse('2026-03-02T12:00:00Z');

const logged = (overrides: Partial<LoggedMessage> = {}): LoggedMessage => ({
  notification_id: 'ntf_digest',
  channel: 'sms',
  provider: 'twilio',
  provider_ref: 'SM1',
  event_id: 'ntf_digest',
  tenant: 'acme',
  recipient: 'acme/u1',
  type: 'DIGEST',
  attempt: 0,
  replay: 0,
  occurred_at: T0 - 5000,
  digest_members: [],
  ...overrides,
});

describe('feedbackStatuses', () => {
  it('closes a single message with one terminal status', () => {
    expect(
      feedbackStatuses(logged({ notification_id: 'ntf_1', type: 'ORDER_FILLED' }), 'delivered', null, 'twilio reported delivered', T0).map(
        (s) => [s.notification_id, s.status, s.terminal],
      ),
    ).toEqual([['ntf_1', 'delivered', true]]);
  });

  it('closes a digest and every member it was logged with, with the same status and reason', () => {
    const members = [
      { notification_id: 'ntf_m1', event_id: 'evt-1', type: 'PRICE_ALERT', occurred_at: T0 - 5000 },
      { notification_id: 'ntf_m2', event_id: 'evt-2', type: 'ORDER_FILLED', occurred_at: T0 - 4000 },
    ];
    const closed = feedbackStatuses(logged({ digest_members: members }), 'failed', 'twilio_30003', 'twilio reported undelivered', T0);
    expect(
      closed.map((s) => [s.notification_id, s.event_id, s.type, s.status, s.reason, s.terminal, s.stage, s.provider, s.occurred_at]),
    ).toEqual([
      ['ntf_digest', 'ntf_digest', 'DIGEST', 'failed', 'twilio_30003', true, 'channel-sms', 'twilio', T0 - 5000],
      ['ntf_m1', 'evt-1', 'PRICE_ALERT', 'failed', 'twilio_30003', true, 'channel-sms', 'twilio', T0 - 5000],
      ['ntf_m2', 'evt-2', 'ORDER_FILLED', 'failed', 'twilio_30003', true, 'channel-sms', 'twilio', T0 - 4000],
    ]);
    expect(closed[1]?.detail).toBe('digest ntf_digest: twilio reported undelivered');
  });

  it('reports the replay that sent the message, for it and its members', () => {
    const members = [{ notification_id: 'ntf_m1', event_id: 'evt-1', type: 'PRICE_ALERT', occurred_at: T0 - 5000 }];
    const closed = feedbackStatuses(logged({ digest_members: members, replay: 2 }), 'delivered', null, 'twilio reported delivered', T0);
    expect(closed.map((s) => [s.notification_id, s.replay, s.terminal])).toEqual([
      ['ntf_digest', 2, true],
      ['ntf_m1', 2, true],
    ]);
    expect(noFeedbackStatuses(logged({ replay: 1 }), 'no report', T0).map((s) => s.replay)).toEqual([1]);
  });
});

describe('noFeedbackStatuses', () => {
  it('closes a message and its digest members as sent, terminal, reason no_feedback', () => {
    const members = [{ notification_id: 'ntf_m1', event_id: 'evt-1', type: 'PRICE_ALERT', occurred_at: T0 - 5000 }];
    const closed = noFeedbackStatuses(logged({ digest_members: members }), 'no delivery report within 24 h of acceptance', T0);
    expect(closed.map((s) => [s.notification_id, s.status, s.reason, s.terminal, s.stage, s.provider, s.at])).toEqual([
      ['ntf_digest', 'sent', 'no_feedback', true, 'channel-sms', 'twilio', T0],
      ['ntf_m1', 'sent', 'no_feedback', true, 'channel-sms', 'twilio', T0],
    ]);
    expect(closed[1]?.detail).toBe('digest ntf_digest: no delivery report within 24 h of acceptance');
  });
});
