import type { Dispatch } from '@notify/schemas';
import { renderDefault } from './render';

function dispatch(type: string, payload: Record<string, unknown>): Dispatch {
  return {
    notification_id: 'ntf_1', idempotency_key: 'ntf_1', event_id: 'evt-1', tenant: 'acme', recipient: 'acme/u1', user_id: 'u1',
    channel: 'inapp', type, severity: 'critical', severity_label: 'urgent', template: type, priority: 'high', locale: 'en',
    address: null, payload: JSON.stringify(payload), digest: null, attempt: 0, not_before: 0, occurred_at: 1, created_at: 2,
  };
}

describe('renderDefault', () => {
  it('fills a built-in template from the payload', () => {
    const rendered = renderDefault(dispatch('MARGIN_CALL', { account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' }));
    expect(rendered.title).toBe('MARGIN CALL on acc789');
    expect(rendered.body).toBe('Your account acc789 is short 5000. Add funds before 2024-01-15T10:00:00Z.');
    expect(rendered.data).toMatchObject({ notification_id: 'ntf_1', event_id: 'evt-1', severity: 'critical', payload: { account_id: 'acc789' } });
  });

  it('humanises unknown event types', () => {
    const rendered = renderDefault(dispatch('risk.limit_breached', {}));
    expect(rendered.title).toBe('Risk Limit Breached');
    expect(rendered.body).toBe('Risk Limit Breached (critical)');
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])(
    'treats the event type %j as unknown instead of using an Object.prototype member as its template',
    (type) => {
      const rendered = renderDefault(dispatch(type, {}));
      expect(typeof rendered.title).toBe('string');
      expect(rendered.body).toContain('(critical)');
    },
  );
});
