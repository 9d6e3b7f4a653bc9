/**
 * The shipped templates render every seed event type on every channel, in English and French,
 * with seed payloads: strictly (a variable the payload lacks fails the test), with no Liquid left
 * in the output, and with amounts and dates formatted.
 */
import type { Dispatch } from '@notify/schemas';
import { createTemplateRenderer } from './template-renderer';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

/** Payloads as the seeds write them (000 scarcity, 001 orders and margin calls, 004 alerts and report). */
const SEED_EVENTS: Array<[type: string, payload: Record<string, unknown>, formatted: RegExp]> = [
  [
    'DEAL_SCARCITY',
    { deal_name: 'SpaceX Secondary Series N', remaining_capacity: 500000.0, recipient_tier: 'TIER_1_SFO' },
    /500[,\s\u202f]000/,
  ],
  ['ORDER_FILLED', { user_id: 'user123', order_id: 'order456', symbol: 'AAPL', quantity: 100, price: 150.25 }, /150[.,]25/],
  [
    'MARGIN_CALL',
    { user_id: 'user123', account_id: 'acc789', shortfall: 5000.0, deadline: '2024-01-15T10:00:00Z' },
    /5[,\s\u202f]000[.,]00/,
  ],
  [
    'margin_call',
    { account_id: 1, margin_ratio: 0.04, required_margin: 1000.0, available_margin: 400.0, timestamp: '2024-01-01T12:00:00Z' },
    /4\s?%/,
  ],
  [
    'trade_execution',
    {
      account_id: 1,
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: 0.01,
      price: 50000.0,
      order_id: 'order_123',
      timestamp: '2024-01-01T12:00:00Z',
    },
    /50[,\s\u202f]000[.,]00/,
  ],
  [
    'stop_loss_triggered',
    { account_id: 1, position_id: 456, symbol: 'BTCUSDT', realized_pnl: -100.0, trigger_price: 48000.0, timestamp: '2024-01-01T12:05:00Z' },
    /48[,\s\u202f]000[.,]00/,
  ],
  [
    'take_profit_triggered',
    { account_id: 1, position_id: 456, symbol: 'BTCUSDT', realized_pnl: 200.0, trigger_price: 52000.0, timestamp: '2024-01-01T12:10:00Z' },
    /52[,\s\u202f]000[.,]00/,
  ],
  [
    'order_rejected',
    { account_id: 1, order_id: 'order_123', symbol: 'BTCUSDT', reason: 'INSUFFICIENT_BALANCE', timestamp: '2024-01-01T12:00:00Z' },
    /order_123/,
  ],
  [
    'daily_loss_limit',
    { account_id: 1, daily_pnl: -200.0, daily_pnl_pct: -0.02, limit_type: 'hard', timestamp: '2024-01-01T15:00:00Z' },
    /200[.,]00/,
  ],
  [
    'position_limit_warning',
    { account_id: 1, symbol: 'BTCUSDT', current_exposure_pct: 0.18, max_exposure_pct: 0.2, timestamp: '2024-01-01T12:00:00Z' },
    /18\s?%/,
  ],
  [
    'circuit_breaker',
    { account_id: 1, reason: 'daily_loss_threshold', daily_loss_pct: -0.025, trading_halted: true, timestamp: '2024-01-01T15:30:00Z' },
    /2[.,]50\s?%|halted|suspendu/,
  ],
  ['exchange_failure', { exchange: 'binance', error: 'Connection timeout', retry_count: 3, timestamp: '2024-01-01T12:00:00Z' }, /Binance/],
  [
    'data_quality',
    {
      symbol: 'BTCUSDT',
      issue: 'stale_data',
      last_update: '2024-01-01T11:50:00Z',
      threshold_minutes: 5,
      timestamp: '2024-01-01T12:00:00Z',
    },
    /2024/,
  ],
  [
    'rate_limit_warning',
    { provider: 'polygon', usage_pct: 0.85, limit: 5, window: 'per_minute', timestamp: '2024-01-01T12:00:00Z' },
    /85\s?%/,
  ],
  [
    'daily_report',
    {
      account_id: 1,
      date: '2024-01-01',
      timestamp: '2024-01-01T23:59:59Z',
      metrics: {
        total_trades: 5,
        winning_trades: 3,
        losing_trades: 2,
        total_pnl: 150.0,
        total_pnl_pct: 0.015,
        sharpe_ratio: 1.2,
        max_drawdown_pct: 0.01,
      },
    },
    /150[.,]00/,
  ],
];
const CHANNELS = ['email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'inapp', 'webhook', 'pagerduty'];
const LOCALES = ['en', 'fr', 'fr-CA'];

function dispatch(over: Partial<Dispatch>, payload: Record<string, unknown>): Dispatch {
  return {
    notification_id: 'ntf_1',
    idempotency_key: 'ntf_1',
    event_id: 'evt-1',
    tenant: 'acme',
    recipient: 'acme/u1',
    user_id: 'u1',
    channel: 'email',
    type: 'X',
    severity: 'critical',
    severity_label: 'urgent',
    template: '',
    priority: 'high',
    locale: 'en',
    address: 'u1@example.com',
    payload: JSON.stringify(payload),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: 1,
    created_at: 2,
    time_zone: 'Europe/Paris',
    dedupe_key: null,
    template_version: null,
    ...over,
  };
}

describe('the bundled templates', () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
  const now = () => Date.parse('2024-01-01T12:30:00Z');

  it.each(
    SEED_EVENTS.flatMap(([type, payload, formatted]) =>
      CHANNELS.flatMap((channel) => LOCALES.map((locale) => [type, channel, locale, payload, formatted] as const)),
    ),
  )('render %s on %s in %s with every variable present', (type, channel, locale, payload, formatted) => {
    // The seeds' payloads carry no currency and the money filter then formats USD; a strict render
    // would report the absent `payload.currency`, so it gets the currency the lenient one assumes.
    const m = createTemplateRenderer(book, channel, { now, strictVariables: true })(
      dispatch({ type, channel, locale }, { currency: 'USD', ...payload }),
    );
    expect(createTemplateRenderer(book, channel, { now })(dispatch({ type, channel, locale }, payload))).toEqual({
      ...m,
      data: { ...m.data, payload },
    });
    const parts = [m.title, m.body, m.html ?? ''];
    for (const part of parts) expect(part).not.toMatch(/\{\{|\{%|undefined|NaN|\[object Object\]|null/);
    // A type with a template of its own never falls back to the generic "Type (severity)" text.
    expect(m.body).not.toBe(`${m.title} (critical)`);
    expect(m.body).toMatch(formatted);
    if (channel !== 'sms' && channel !== 'voice') expect(m.title).not.toBe('');
  });

  it('writes French for French recipients, with French number formats', () => {
    const render = createTemplateRenderer(book, 'slack', { now });
    const report = SEED_EVENTS.find(([type]) => type === 'daily_report');
    const m = render(dispatch({ type: 'daily_report', channel: 'slack', locale: 'fr' }, report?.[1] ?? {}));
    expect(m.title).toBe('Rapport de trading du 1 janv. 2024');
    expect(m.body.replace(/[\u00a0\u202f]/g, ' ')).toContain('Résultat : 150,00 $US (1,50 %)');
  });

  it("sends seed 004's margin call fields when the event has no shortfall, and seed 001's when it has", () => {
    const render = createTemplateRenderer(book, 'inapp', { now });
    expect(
      render(
        dispatch(
          { type: 'MARGIN_CALL', channel: 'inapp' },
          { account_id: 1, margin_ratio: 0.04, required_margin: 1000, available_margin: 400 },
        ),
      ).body,
    ).toBe('Margin ratio 4%: $1,000.00 required, $400.00 available. Please add funds or close positions.');
    expect(
      render(
        dispatch({ type: 'MARGIN_CALL', channel: 'inapp' }, { account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' }),
      ).body,
    ).toBe('Your account acc789 is short $5,000.00. Add funds before Jan 15, 2024, 11:00 AM GMT+1.');
  });
});
