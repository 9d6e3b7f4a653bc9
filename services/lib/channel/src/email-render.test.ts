import { verifyUnsubscribe, type Dispatch } from '@notify/schemas';
import { createEmailRenderer } from './email-render';
import type { RenderedMessage } from './provider';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

const SECRET = 'unsubscribe-test-secret';
const render = createEmailRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), {
  unsubscribeBaseUrl: 'https://api.example/v1/unsubscribe',
  unsubscribeSecret: SECRET,
});

function dispatch(over: Partial<Dispatch>, payload: Record<string, unknown>): Dispatch {
  return {
    notification_id: 'ntf_1',
    idempotency_key: 'ntf_1',
    event_id: 'evt-1',
    tenant: 'acme',
    recipient: 'acme/u1',
    user_id: 'u1',
    channel: 'email',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    template: 'x',
    priority: 'normal',
    locale: 'en',
    address: 'u1@example.com',
    payload: JSON.stringify(payload),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: 1,
    created_at: 2,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    ...over,
  };
}

/** The link in both parts and the headers, signed for this recipient and the email channel. */
function expectUnsubscribable(m: RenderedMessage): URL {
  const url = m.unsubscribeUrl ?? '';
  const link = new URL(url);
  expect(link.origin + link.pathname).toBe('https://api.example/v1/unsubscribe');
  expect(verifyUnsubscribe(SECRET, link.searchParams.get('r') ?? '', 'email', link.searchParams.get('s') ?? '')).toBe(true);
  expect(link.searchParams.get('r')).toBe('acme/u1');
  expect(m.body).toContain(url);
  expect(typeof m.html).toBe('string');
  expect(m.html).toContain(`href="${url.replace(/&/g, '&amp;')}"`);
  return link;
}

describe('email rendering', () => {
  it('wraps ORDER_FILLED (a shared text without HTML) in the layout, values escaped', () => {
    const m = render(dispatch({}, { order_id: 'o-1', quantity: 10, symbol: '<b>AAPL</b>', price: 187.5 }));
    expectUnsubscribable(m);
    expect(m.title).toBe('Order filled: <b>AAPL</b>');
    expect(m.html).toMatch(/^<!doctype html>.*<\/html>$/);
    expect(m.body).toBe(`Your order o-1 for 10 <b>AAPL</b> was filled at $187.50.\n\nUnsubscribe: ${m.unsubscribeUrl}`);
    expect(m.html).toContain('<h1 style="font-size:20px;margin:0 0 16px">Order filled: &lt;b&gt;AAPL&lt;/b&gt;</h1>');
    expect(m.html).toContain('Your order o-1 for 10 &lt;b&gt;AAPL&lt;/b&gt; was filled at $187.50.');
    expect(m.html).not.toContain('<b>');
    expect(m.html).toContain('>Unsubscribe</a>');
  });

  it('wraps DEAL_SCARCITY, with the footer in the recipient language', () => {
    const m = render(dispatch({ type: 'DEAL_SCARCITY', locale: 'fr-CA' }, { deal_name: 'Series N', remaining_capacity: '$2M' }));
    expectUnsubscribable(m);
    expect(m.html).toContain('>Se désabonner</a>');
    expect(m.body).toContain(`Se désabonner : ${m.unsubscribeUrl}`);
  });

  it('renders a DIGEST (the alert summary of seed 004) listing its members by type in both parts', () => {
    const at = Date.UTC(2024, 0, 1, 12, 5);
    const items = [
      {
        notification_id: 'ntf_a',
        event_id: 'e-a',
        type: 'ORDER_FILLED',
        severity: 'info',
        payload: JSON.stringify({ order_id: 'order_123', quantity: 0.01, symbol: 'BTC<USDT>', price: 50000 }),
        occurred_at: at,
      },
      {
        notification_id: 'ntf_b',
        event_id: 'e-b',
        type: 'stop_loss_triggered',
        severity: 'warning',
        payload: JSON.stringify({ symbol: 'BTCUSDT', position_id: 456, realized_pnl: -100, trigger_price: 48000 }),
        occurred_at: at + 60_000,
      },
      {
        notification_id: 'ntf_c',
        event_id: 'e-c',
        type: 'daily_report',
        severity: 'info',
        payload: 'not json <script>',
        occurred_at: at + 120_000,
      },
    ];
    const m = render(
      dispatch(
        {
          type: 'DIGEST',
          template: 'digest',
          severity: 'warning',
          time_zone: 'Europe/Paris',
          dedupe_key: null,
          digest: { total: 5, counts: { ORDER_FILLED: 1, stop_loss_triggered: 1, daily_report: 3 }, items },
        },
        { summary: '3 Daily Report, 1 Order Filled, 1 Stop Loss Triggered', total: 5 },
      ),
    );
    expectUnsubscribable(m);
    expect(m.title).toBe('5 notifications');
    expect(m.body.replace(/\u202f/g, ' ')).toBe(
      [
        '3 Daily Report, 1 Order Filled, 1 Stop Loss Triggered',
        '',
        'Daily Report: 3',
        '- Daily Report, Jan 1, 2024, 1:07 PM GMT+1',
        'Order Filled: 1',
        '- 0.01 BTC<USDT> at $50,000.00 (order order_123)',
        'Stop Loss Triggered: 1',
        // seed 004's lower-case type finds the STOP_LOSS_TRIGGERED template's item line
        '- BTCUSDT at $48,000.00, P&L -$100.00',
        'and 2 more',
        '',
        `Unsubscribe: ${m.unsubscribeUrl}`,
      ].join('\n'),
    );
    expect(m.html).toContain('<p style="white-space:pre-line;margin:0 0 16px">3 Daily Report, 1 Order Filled, 1 Stop Loss Triggered</p>');
    expect(m.html).toContain('<h2 style="font-size:16px;margin:16px 0 8px">Daily Report: 3</h2>');
    expect(m.html).toContain('<li style="margin:0 0 4px">0.01 BTC&lt;USDT&gt; at $50,000.00 (order order_123)</li>');
    expect(m.html).toContain('<h2 style="font-size:16px;margin:16px 0 8px">Stop Loss Triggered: 1</h2>');
    expect(m.html).toContain('<li style="margin:0 0 4px">BTCUSDT at $48,000.00, P&amp;L -$100.00</li>');
    expect(m.html).toContain('<p style="margin:0 0 16px">and 2 more</p>');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<USDT>');
  });

  it('keeps an email template of its own (an unknown type takes the email default) and its single link', () => {
    const m = render(dispatch({ type: 'risk.limit_breached', severity: 'critical' }, {}));
    expectUnsubscribable(m);
    expect(m.title).toBe('Risk Limit Breached');
    expect(m.html).toContain('<h1>Risk Limit Breached</h1><p>Severity: critical</p>');
    expect(m.html?.match(/Unsubscribe<\/a>/g)).toHaveLength(1);
    expect(m.body.match(/Unsubscribe:/g)).toHaveLength(1);
  });

  it('adds the footer link to an HTML template that left it out', () => {
    const book = TemplateBook.fromObject({
      email: { default: { en: { title: 't', body: 'plain', html: '<html><body><p>{{payload.x}}</p></body></html>' } } },
    });
    const m = createEmailRenderer(book, { unsubscribeBaseUrl: 'https://api.example/v1/unsubscribe', unsubscribeSecret: SECRET })(
      dispatch({}, { x: '&' }),
    );
    expectUnsubscribable(m);
    expect(m.html).toMatch(/^<html><body><p>&amp;<\/p><p style="[^"]*"><a href="[^"]+">Unsubscribe<\/a><\/p><\/body><\/html>$/);
  });
});
