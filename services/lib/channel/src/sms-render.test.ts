import type { Dispatch } from '@notify/schemas';
import { createSmsRenderer, SMS_DIGEST_LINES } from './sms-render';
import { countSegments } from './sms-segments';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

const render = createSmsRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 4);

function dispatch(over: Partial<Dispatch>, payload: Record<string, unknown>): Dispatch {
  return {
    notification_id: 'ntf_1',
    idempotency_key: 'ntf_1',
    event_id: 'evt-1',
    tenant: 'acme',
    recipient: 'acme/u1',
    user_id: 'u1',
    channel: 'sms',
    type: 'MARGIN_CALL',
    severity: 'critical',
    severity_label: 'critical',
    template: 'risk.margin_call',
    priority: 'high',
    locale: 'fr',
    address: '+15005550006',
    payload: JSON.stringify(payload),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: 1,
    created_at: 2,
    time_zone: 'America/New_York',
    dedupe_key: null,
    template_version: null,
    ...over,
  };
}

describe('SMS rendering', () => {
  it('keeps a French margin call in GSM-7 although Intl spaces French amounts with no-break spaces', () => {
    const m = render(dispatch({}, { account_id: 'acc789', shortfall: 12500, deadline: '2026-12-03T20:41:00Z' }));
    expect(m.body).toBe(
      'Appel de marge sur le compte acc789 : déposez 12 500,00 $US avant le 3 déc. 2026, 15:41 UTC-5. STOP pour vous désabonner.',
    );
    expect(countSegments(m.body).encoding).toBe('GSM-7');
  });

  it(`lists ${SMS_DIGEST_LINES} digest members, then counts the rest`, () => {
    const items = Array.from({ length: 6 }, (_, i) => ({
      notification_id: `ntf_m${i}`,
      event_id: `evt_m${i}`,
      type: 'ORDER_FILLED',
      severity: 'info',
      occurred_at: 1,
      payload: JSON.stringify({ order_id: `o-${i}`, quantity: 10, symbol: 'AAPL', price: 187.5 }),
    }));
    const m = render(
      dispatch(
        { type: 'DIGEST', template: 'digest', locale: 'en', digest: { total: 6, counts: { ORDER_FILLED: 6 }, items } },
        { summary: '6 Order Filled', total: 6 },
      ),
    );
    expect(m.body).toBe(
      '6 Order Filled\n\nOrder Filled: 6\n- 10 AAPL at $187.50 (order o-0)\n- 10 AAPL at $187.50 (order o-1)\n- 10 AAPL at $187.50 (order o-2)\nand 3 more',
    );
  });
});
