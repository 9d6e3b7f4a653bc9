import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Dispatch } from '@notify/schemas';
import { createTemplateRenderer } from './template-renderer';
import { BUNDLED_TEMPLATES_DIR, TemplateBook, TemplateError } from './templates';

function dispatch(over: Partial<Dispatch> = {}, payload: Record<string, unknown> = { account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' }): Dispatch {
  return {
    notification_id: 'ntf_1', idempotency_key: 'ntf_1', event_id: 'evt-1', tenant: 'acme', recipient: 'acme/u1', user_id: 'u1',
    channel: 'email', type: 'MARGIN_CALL', severity: 'critical', severity_label: 'urgent', template: 'x', priority: 'high', locale: 'en',
    address: 'u1@example.com', payload: JSON.stringify(payload), digest: null, attempt: 0, not_before: 0, occurred_at: 1, created_at: 2, ...over,
  };
}

describe('bundled templates', () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);

  it('renders an aggregator digest as one message with the count per type', () => {
    const m = createTemplateRenderer(book, 'inapp')(dispatch({ type: 'DIGEST', template: 'digest' }, { summary: '3 Stop Loss Triggered, 2 Trade Executed', total: 5, counts: { STOP_LOSS_TRIGGERED: 3, TRADE_EXECUTED: 2 } }));
    expect(m.title).toBe('5 notifications');
    expect(m.body).toBe('3 Stop Loss Triggered, 2 Trade Executed');
  });

  it('renders the email template with text and HTML parts and the unsubscribe link', () => {
    const render = createTemplateRenderer(book, 'email', { unsubscribeUrl: () => 'https://x.test/u?t=a&b=1' });
    const m = render(dispatch());
    expect(m.title).toBe('MARGIN CALL on acc789');
    expect(m.body).toContain('Your account acc789 is short 5000.');
    expect(m.body).toContain('Unsubscribe: https://x.test/u?t=a&b=1');
    expect(m.html).toContain('<td>5000</td>');
    expect(m.html).toContain('href="https://x.test/u?t=a&amp;b=1"');
    expect(m.unsubscribeUrl).toBe('https://x.test/u?t=a&b=1');
  });

  it('escapes payload values in HTML but leaves the text part as written', () => {
    const m = createTemplateRenderer(book, 'email')(dispatch({}, { account_id: '<img src=x onerror=alert(1)>', shortfall: 1, deadline: 'soon' }));
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(m.html).not.toContain('<img');
    expect(m.body).toContain('<img src=x onerror=alert(1)>');
  });

  it('falls back fr-CA → fr → en', () => {
    const sms = createTemplateRenderer(book, 'sms');
    expect(sms(dispatch({ locale: 'fr-CA', channel: 'sms' })).body).toMatch(/^APPEL DE MARGE acc789/);
    expect(createTemplateRenderer(book, 'inapp')(dispatch({ locale: 'fr-CA', channel: 'inapp' })).title).toBe('APPEL DE MARGE au compte acc789');
    expect(createTemplateRenderer(book, 'inapp')(dispatch({ locale: 'fr-FR', channel: 'inapp' })).title).toBe('APPEL DE MARGE sur acc789');
    expect(createTemplateRenderer(book, 'inapp')(dispatch({ locale: 'de-AT', channel: 'inapp' })).title).toBe('MARGIN CALL on acc789');
  });

  it('uses the channel default, then the shared default, for unknown event types', () => {
    const voice = createTemplateRenderer(book, 'voice')(dispatch({ type: 'disk.full', channel: 'voice' }));
    expect(voice.body).toBe('This is an automated critical alert: Disk Full.');
    const chat = createTemplateRenderer(book, 'slack')(dispatch({ type: 'disk.full', channel: 'slack' }));
    expect(chat).toMatchObject({ title: 'Disk Full', body: 'Disk Full (critical)' });
  });
});

describe('bundled templates for channels without a file of their own', () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
  const CHANNELS = ['slack', 'discord', 'teams', 'push', 'webhook', 'pagerduty'];
  const sharedTypes = Object.keys(yaml.load(readFileSync(join(BUNDLED_TEMPLATES_DIR, 'all.yaml'), 'utf8')) as Record<string, unknown>);
  const payloads: Record<string, Record<string, unknown>> = {
    ORDER_FILLED: { order_id: 'o-1', quantity: 10, symbol: 'AAPL', price: 187.5 },
    MARGIN_CALL: { account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' },
    DEAL_SCARCITY: { deal_name: 'Series N', remaining_capacity: '$2M' },
    DIGEST: { summary: '3 Stop Loss Triggered, 2 Trade Executed', total: 5 },
  };

  it.each(CHANNELS.flatMap((channel) => sharedTypes.flatMap((type) => ['en', 'fr'].map((locale) => [channel, type, locale] as const))))(
    '%s renders %s in %s with every placeholder filled',
    (channel, type, locale) => {
      const m = createTemplateRenderer(book, channel)(dispatch({ channel: channel as Dispatch['channel'], type, locale }, payloads[type] ?? {}));
      expect(m.data.locale).toBe(locale);
      expect(m.title).not.toBe('');
      expect(`${m.title} ${m.body}`).not.toMatch(/\{\{|undefined|null/);
    },
  );

  it('keeps the English texts the chat channels sent before templates', () => {
    const slack = createTemplateRenderer(book, 'slack');
    expect(slack(dispatch({ channel: 'slack' }))).toMatchObject({ title: 'MARGIN CALL on acc789', body: 'Your account acc789 is short 5000. Add funds before 2024-01-15T10:00:00Z.' });
    expect(slack(dispatch({ channel: 'slack', type: 'ORDER_FILLED' }, payloads.ORDER_FILLED)))
      .toMatchObject({ title: 'Order filled: AAPL', body: 'Your order o-1 for 10 AAPL was filled at 187.5.' });
    expect(slack(dispatch({ channel: 'slack', type: 'DEAL_SCARCITY' }, payloads.DEAL_SCARCITY)))
      .toMatchObject({ title: 'Allocation closing: Series N', body: 'Only $2M remains in Series N.' });
    expect(slack(dispatch({ channel: 'slack', type: 'risk.limit_breached' }))).toMatchObject({ title: 'Risk Limit Breached', body: 'Risk Limit Breached (critical)' });
  });

  it('localises chat titles by the recipient locale', () => {
    expect(createTemplateRenderer(book, 'discord')(dispatch({ channel: 'discord', locale: 'fr' })).title).toBe('APPEL DE MARGE sur acc789');
    expect(createTemplateRenderer(book, 'teams')(dispatch({ channel: 'teams', locale: 'fr-CA' })).title).toBe('APPEL DE MARGE au compte acc789');
    expect(createTemplateRenderer(book, 'pagerduty')(dispatch({ channel: 'pagerduty', locale: 'fr', type: 'DEAL_SCARCITY' }, payloads.DEAL_SCARCITY)).body)
      .toBe('Il ne reste que $2M dans Series N.');
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])(
    'treats the event type %j as unknown instead of using an Object.prototype member as its template',
    (type) => {
      const m = createTemplateRenderer(book, 'slack')(dispatch({ channel: 'slack', type }, {}));
      expect(typeof m.title).toBe('string');
      expect(m.body).toContain('(critical)');
    },
  );
});

describe('TemplateBook validation', () => {
  it('rejects unknown fields, non-strings and missing bodies', () => {
    expect(() => TemplateBook.fromObject({ email: { default: { en: { title: 't', body: 'b', script: 'x' } } } })).toThrow(TemplateError);
    expect(() => TemplateBook.fromObject({ email: { default: { en: { title: 't', body: 42 } } } })).toThrow(TemplateError);
    expect(() => TemplateBook.fromObject({ email: { default: { en: { title: 't' } } } })).toThrow(/title and body/);
  });

  it('renders template text that looks like code as text', () => {
    const book = TemplateBook.fromObject({ all: { default: { en: { title: "{{ process.exit(1) }}", body: '{{payload.constructor.constructor}}x' } } } });
    const m = createTemplateRenderer(book, 'sms')(dispatch({ type: 'X' }));
    expect(m.title).toBe('{{ process.exit(1) }}');
    expect(m.body).toBe('x');
  });
});
