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
