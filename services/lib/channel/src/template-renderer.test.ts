import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Dispatch } from '@notify/schemas';
import { createTemplateRenderer } from './template-renderer';
import { isRetryable } from '@notify/errors';
import { TemplateLimitError } from './template-error';
import { BUNDLED_TEMPLATES_DIR, TemplateBook, TemplateError, type TemplateSource } from './templates';

function dispatch(
  over: Partial<Dispatch> = {},
  payload: Record<string, unknown> = { account_id: 'acc789', shortfall: 5000, deadline: '2024-01-15T10:00:00Z' },
): Dispatch {
  return {
    notification_id: 'ntf_1',
    idempotency_key: 'ntf_1',
    event_id: 'evt-1',
    tenant: 'acme',
    recipient: 'acme/u1',
    user_id: 'u1',
    channel: 'email',
    type: 'MARGIN_CALL',
    severity: 'critical',
    severity_label: 'urgent',
    template: 'x',
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
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    ...over,
  };
}

describe('bundled templates', () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);

  it('renders an aggregator digest as one message with the count per type', () => {
    const m = createTemplateRenderer(
      book,
      'inapp',
    )(
      dispatch(
        { type: 'DIGEST', template: 'digest' },
        { summary: '3 Stop Loss Triggered, 2 Trade Executed', total: 5, counts: { STOP_LOSS_TRIGGERED: 3, TRADE_EXECUTED: 2 } },
      ),
    );
    expect(m.title).toBe('5 notifications');
    expect(m.body).toBe('3 Stop Loss Triggered, 2 Trade Executed');
  });

  it('renders the email template with text and HTML parts and the unsubscribe link', () => {
    const render = createTemplateRenderer(book, 'email', { unsubscribeUrl: () => 'https://x.test/u?t=a&b=1' });
    const m = render(dispatch());
    expect(m.title).toBe('MARGIN CALL on acc789');
    expect(m.body).toContain('Your account acc789 is short $5,000.00.');
    expect(m.body).toContain('Unsubscribe: https://x.test/u?t=a&b=1');
    expect(m.html).toContain('<td>$5,000.00</td>');
    expect(m.html).toContain('href="https://x.test/u?t=a&amp;b=1"');
    expect(m.unsubscribeUrl).toBe('https://x.test/u?t=a&b=1');
  });

  it('escapes payload values in HTML but leaves the text part as written', () => {
    const m = createTemplateRenderer(
      book,
      'email',
    )(dispatch({}, { account_id: '<img src=x onerror=alert(1)>', shortfall: 1, deadline: 'soon' }));
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(m.html).not.toContain('<img');
    expect(m.body).toContain('<img src=x onerror=alert(1)>');
  });

  it('falls back fr-CA → fr → en', () => {
    const sms = createTemplateRenderer(book, 'sms');
    expect(sms(dispatch({ locale: 'fr-CA', channel: 'sms' })).body).toMatch(/^APPEL DE MARGE acc789/);
    expect(createTemplateRenderer(book, 'inapp')(dispatch({ locale: 'fr-CA', channel: 'inapp' })).title).toBe(
      'APPEL DE MARGE au compte acc789',
    );
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
      const m = createTemplateRenderer(
        book,
        channel,
      )(dispatch({ channel: channel as Dispatch['channel'], type, locale }, payloads[type] ?? {}));
      expect(m.data.locale).toBe(locale);
      expect(m.title).not.toBe('');
      expect(`${m.title} ${m.body}`).not.toMatch(/\{\{|undefined|null/);
    },
  );

  it('keeps the English texts the chat channels sent before templates, with amounts and dates formatted', () => {
    const slack = createTemplateRenderer(book, 'slack');
    expect(slack(dispatch({ channel: 'slack' }))).toMatchObject({
      title: 'MARGIN CALL on acc789',
      body: 'Your account acc789 is short $5,000.00. Add funds before Jan 15, 2024, 10:00 AM UTC.',
    });
    expect(slack(dispatch({ channel: 'slack', type: 'ORDER_FILLED' }, payloads.ORDER_FILLED))).toMatchObject({
      title: 'Order filled: AAPL',
      body: 'Your order o-1 for 10 AAPL was filled at $187.50.',
    });
    expect(slack(dispatch({ channel: 'slack', type: 'DEAL_SCARCITY' }, payloads.DEAL_SCARCITY))).toMatchObject({
      title: 'Allocation closing: Series N',
      body: 'Only $2M remains in Series N.',
    });
    expect(slack(dispatch({ channel: 'slack', type: 'risk.limit_breached' }))).toMatchObject({
      title: 'Risk Limit Breached',
      body: 'Risk Limit Breached (critical)',
    });
  });

  it('localises chat titles by the recipient locale', () => {
    expect(createTemplateRenderer(book, 'discord')(dispatch({ channel: 'discord', locale: 'fr' })).title).toBe('APPEL DE MARGE sur acc789');
    expect(createTemplateRenderer(book, 'teams')(dispatch({ channel: 'teams', locale: 'fr-CA' })).title).toBe(
      'APPEL DE MARGE au compte acc789',
    );
    expect(
      createTemplateRenderer(
        book,
        'pagerduty',
      )(dispatch({ channel: 'pagerduty', locale: 'fr', type: 'DEAL_SCARCITY' }, payloads.DEAL_SCARCITY)).body,
    ).toBe('Il ne reste que $2M dans Series N.');
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

  it('refuses template text that tries to call code, and never reaches the prototype', () => {
    expect(() => TemplateBook.fromObject({ all: { default: { en: { title: '{{ process.exit(1) }}', body: 'x' } } } })).toThrow(
      TemplateError,
    );
    const book = TemplateBook.fromObject({
      all: {
        default: {
          en: {
            title: '{{ process }}{{ payload.constructor.constructor }}t',
            body: '{{payload.constructor.constructor}}{{ payload.__proto__ }}x',
          },
        },
      },
    });
    const m = createTemplateRenderer(book, 'sms')(dispatch({ type: 'X' }));
    expect(m.title).toBe('t');
    expect(m.body).toBe('x');
  });
});

describe("the rule's template, formatted for the recipient", () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
  const now = () => Date.parse('2026-12-03T06:41:00Z');
  const seed = { account_id: 'acc789', shortfall: 5000, deadline: '2026-12-03T08:41:00.257Z' };
  const margin = (over: Partial<Dispatch>) =>
    dispatch({ channel: 'inapp', template: 'risk.margin_call', time_zone: 'Europe/Paris', dedupe_key: null, ...over }, seed);

  it("renders seed 001's risk.margin_call with money and a deadline in the recipient's zone", () => {
    const m = createTemplateRenderer(book, 'inapp', { now })(margin({ locale: 'en-GB' }));
    expect(m.title).toBe('Margin call on account acc789');
    expect(m.body).toBe('Margin call on account acc789: deposit US$5,000.00 before 3 Dec 2026, 09:41 CET (in 2 hours).');
    expect(createTemplateRenderer(book, 'sms', { now })(margin({ locale: 'en', channel: 'sms' })).body.replace(/\u202f/g, ' ')).toBe(
      'Margin call on account acc789: deposit $5,000.00 before Dec 3, 2026, 9:41 AM GMT+1. Reply STOP to opt out.',
    );
  });

  it("formats in the recipient's own locale when the text is in their language, else in the text's", () => {
    const render = createTemplateRenderer(book, 'inapp', { now });
    expect(render(margin({ locale: 'fr-CA' })).body.replace(/[\u00a0\u202f]/g, ' ')).toBe(
      'Appel de marge au compte acc789 : déposez 5 000,00 $ US avant le 3 déc. 2026, 09 h 41 UTC+1 (dans 2 heures).',
    );
    expect(render(margin({ locale: 'fr-BE' })).body.replace(/[\u00a0\u202f]/g, ' ')).toContain(
      'déposez 5 000,00 $US avant le 3 déc. 2026, 09:41 UTC+1',
    );
    expect(render(margin({ locale: 'de-AT' })).body.replace(/\u202f/g, ' ')).toBe(
      'Margin call on account acc789: deposit $5,000.00 before Dec 3, 2026, 9:41 AM GMT+1 (in 2 hours).',
    );
  });

  it('reads a dispatch without a time zone (older writers) as UTC', () => {
    const m = createTemplateRenderer(book, 'inapp', { now })(margin({ locale: 'en-GB', time_zone: null }));
    expect(m.body).toContain('before 3 Dec 2026, 08:41 UTC (in 2 hours)');
  });

  it('goes by event type when the dispatch names no template', () => {
    const m = createTemplateRenderer(book, 'inapp', { now })(margin({ template: '', locale: 'en' }));
    expect(m.title).toBe('MARGIN CALL on acc789');
  });
});

describe('digests list their members', () => {
  const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
  const T0 = Date.parse('2026-12-03T06:00:00Z');
  const now = () => T0 + 3_600_000;
  const stop = (n: number, pnl: number) => ({
    notification_id: `ntf_stop_${n}`,
    event_id: `evt_stop_${n}`,
    type: 'STOP_LOSS_TRIGGERED',
    severity: 'warning',
    payload: JSON.stringify({ symbol: 'BTCUSDT', trigger_price: 48000 + n, realized_pnl: pnl, position_id: n }),
    occurred_at: T0 + n * 60_000,
  });
  const price = (n: number) => ({
    notification_id: `ntf_price_${n}`,
    event_id: `evt_price_${n}`,
    type: 'PRICE_ALERT',
    severity: 'info',
    payload: '{"symbol":"AAPL"}',
    occurred_at: T0 + n * 60_000,
  });
  function digestOf(items: Array<ReturnType<typeof stop>>, total = items.length, over: Partial<Dispatch> = {}): Dispatch {
    const counts: Record<string, number> = {};
    for (const i of items) counts[i.type] = (counts[i.type] ?? 0) + 1;
    if (total > items.length) counts.STOP_LOSS_TRIGGERED = (counts.STOP_LOSS_TRIGGERED ?? 0) + total - items.length;
    return dispatch(
      {
        type: 'DIGEST',
        template: 'digest',
        severity: 'warning',
        time_zone: 'Europe/Paris',
        dedupe_key: null,
        locale: 'en-GB',
        digest: { total, counts, items },
        ...over,
      },
      { summary: 'summary line', total },
    );
  }
  const five = [stop(1, -100), stop(2, -250.5), price(3), stop(4, -40), price(5)];

  it.each(['inapp', 'slack', 'discord', 'teams', 'push', 'sms', 'webhook'])(
    'lists a 5-member digest on %s, grouped by type with counts',
    (channel) => {
      const m = createTemplateRenderer(book, channel, { now })(digestOf(five, 5, { channel }));
      expect(m.title).toBe('5 notifications');
      expect(m.body).toBe(
        [
          'summary line',
          '',
          'Stop Loss Triggered: 3',
          '- BTCUSDT at US$48,001.00, P&L -US$100.00',
          '- BTCUSDT at US$48,002.00, P&L -US$250.50',
          '- BTCUSDT at US$48,004.00, P&L -US$40.00',
          'Price Alert: 2',
          '- Price Alert, 3 Dec 2026, 07:03 CET',
          '- Price Alert, 3 Dec 2026, 07:05 CET',
        ].join('\n'),
      );
      expect(m.digest).toMatchObject({
        summary: 'summary line',
        more: null,
        groups: [
          { type: 'STOP_LOSS_TRIGGERED', count: 3 },
          { type: 'PRICE_ALERT', count: 2 },
        ],
      });
    },
  );

  it("lists up to the limit, then counts the rest, including members beyond the aggregator's items", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => stop(i + 1, -i));
    const m = createTemplateRenderer(book, 'inapp', { now })(digestOf(twelve, 15));
    const lines = m.body.split('\n');
    expect(lines.slice(0, 3)).toEqual(['summary line', '', 'Stop Loss Triggered: 15']);
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(10);
    expect(lines.at(-1)).toBe('and 5 more');
    const sms = createTemplateRenderer(book, 'sms', { now, digestLines: 2 })(digestOf(five, 5, { channel: 'sms' }));
    expect(sms.body.split('\n').slice(2)).toEqual([
      'Stop Loss Triggered: 3',
      '- BTCUSDT at US$48,001.00, P&L -US$100.00',
      '- BTCUSDT at US$48,002.00, P&L -US$250.50',
      'Price Alert: 2',
      'and 3 more',
    ]);
  });

  it("uses the recipient's language for headings, lines and the more line", () => {
    const m = createTemplateRenderer(book, 'push', { now, digestLines: 1 })(digestOf(five, 5, { locale: 'fr', channel: 'push' }));
    expect(
      m.body
        .replace(/[\u00a0\u202f]/g, ' ')
        .split('\n')
        .slice(2),
    ).toEqual(['Stop Loss Triggered : 3', '- BTCUSDT à 48 001,00 $US, résultat -100,00 $US', 'Price Alert : 2', 'et 4 de plus']);
  });

  it('gives a member whose payload is not JSON the line of its type and time', () => {
    const broken = { ...stop(7, 1), payload: 'not json <script>' };
    const m = createTemplateRenderer(book, 'inapp', { now })(digestOf([broken]));
    expect(m.digest?.groups[0]?.lines).toEqual(['Stop Loss Triggered, 3 Dec 2026, 07:07 CET']);
  });

  it('takes headings and the more line from a digest template that has them, built-in English otherwise', () => {
    const custom = TemplateBook.fromObject({
      all: { DIGEST: { en: { title: 'Digest', body: '', group: '## {{type_title}} ({{count}})', more: '+{{count}}' } } },
    });
    const m = createTemplateRenderer(custom, 'inapp', { now, digestLines: 1 })(digestOf(five));
    expect(m.body).toBe('## Stop Loss Triggered (3)\n- Stop Loss Triggered, 3 Dec 2026, 07:01 CET\n## Price Alert (2)\n+4');
    const bare = TemplateBook.fromObject({ all: { default: { en: { title: 'x', body: 'y' } } } });
    expect(createTemplateRenderer(bare, 'inapp', { now, digestLines: 0 })(digestOf(five)).body).toBe(
      'y\n\nStop Loss Triggered: 3\nPrice Alert: 2\nand 5 more',
    );
  });

  it("gives the digest's own template its members and counts by type, to loop over", () => {
    const looping = TemplateBook.fromObject({
      all: {
        DIGEST: {
          en: {
            title: '{{ digest.count }} alerts',
            body: '{% for c in digest.counts %}**{{ c.type_title }}**: {{ c.count }} alert(s){% unless forloop.last %}\n{% endunless %}{% endfor %}',
            group: "{% comment %}the listing below is the template's own{% endcomment %}",
          },
        },
      },
      inapp: {
        DIGEST: {
          en: {
            title: '{{ digest.count }} alerts',
            body: "{% for m in digest.members %}{{ forloop.index }}. {{ m.type_title }} ({{ m.severity }}) {% if m.payload.realized_pnl %}{{ m.payload.realized_pnl | money: 'EUR' }} {% endif %}{{ m.occurred_at | datetime }} [{{ m.notification_id }}]\n{% endfor %}",
          },
        },
      },
    });
    const chat = createTemplateRenderer(looping, 'slack', { now, digestLines: 0 })(digestOf(five, 7, { channel: 'slack' }));
    expect(chat.title).toBe('7 alerts');
    // Seed 004's alert summary: each type and its count, biggest first.
    expect(chat.body.split('\n\n')[0]).toBe('**Stop Loss Triggered**: 5 alert(s)\n**Price Alert**: 2 alert(s)');
    const inapp = createTemplateRenderer(looping, 'inapp', { now, digestLines: 0 })(digestOf(five, 5));
    expect(inapp.body.split('\n').slice(0, 5)).toEqual([
      '1. Stop Loss Triggered (warning) -€100.00 3 Dec 2026, 07:01 CET [ntf_stop_1]',
      '2. Stop Loss Triggered (warning) -€250.50 3 Dec 2026, 07:02 CET [ntf_stop_2]',
      '3. Price Alert (info) 3 Dec 2026, 07:03 CET [ntf_price_3]',
      '4. Stop Loss Triggered (warning) -€40.00 3 Dec 2026, 07:04 CET [ntf_stop_4]',
      '5. Price Alert (info) 3 Dec 2026, 07:05 CET [ntf_price_5]',
    ]);
  });
});

describe('template sources', () => {
  it("asks the source for the dispatch's tenant, template, type and pinned version", () => {
    const asked: unknown[] = [];
    const shipped = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
    const source: TemplateSource = {
      find: (key, channel, locale, field) => {
        asked.push({ key, channel, locale, field });
        return shipped.find(key, channel, locale, field);
      },
    };
    const m = createTemplateRenderer(
      source,
      'slack',
    )(dispatch({ tenant: 'globex', template: 'risk.margin_call', template_version: 3, channel: 'slack' }));
    expect(m.title).toBe('Margin call on account acc789');
    expect(asked[0]).toEqual({
      key: { tenant: 'globex', template: 'risk.margin_call', type: 'MARGIN_CALL', version: 3 },
      channel: 'slack',
      locale: 'en',
      field: undefined,
    });
  });

  it('fails the message with a permanent error naming the limit when a template runs away, and renders the next one', () => {
    const book = TemplateBook.fromObject({
      all: {
        LOOP: { en: { title: 'loop', body: '{% for i in (1..100000000) %}x{% endfor %}' } },
        HUGE: { en: { title: 'huge', body: `{% for i in (1..100000) %}${'x'.repeat(100)}{% endfor %}` } },
        OK: { en: { title: 'ok', body: 'fine' } },
      },
    });
    const render = createTemplateRenderer(book, 'slack');
    const failure = (type: string) => {
      try {
        render(dispatch({ type, channel: 'slack' }));
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(failure('LOOP')).toMatchObject({ limit: 'iterations', field: 'body', retryable: false, code: 'template_limit' });
    expect((failure('LOOP') as Error).message).toBe(
      'all: LOOP.en.body stopped, line 1, column 1: the template went over 200000 loop iterations',
    );
    expect(failure('HUGE')).toMatchObject({ limit: 'output size', field: 'body', retryable: false });
    expect(isRetryable(failure('LOOP'))).toBe(false);
    expect(failure('HUGE')).toBeInstanceOf(TemplateLimitError);
    expect(render(dispatch({ type: 'OK', channel: 'slack' })).body).toBe('fine');
  });
});

describe('chat layouts (Slack blocks, Discord embed, Teams card)', () => {
  const book = TemplateBook.fromObject({
    slack: {
      MARGIN_CALL: {
        en: {
          title: 'Margin call on {{ payload.account_id }}',
          body: 'Deposit {{ payload.shortfall | money: "USD" }}',
          blocks:
            '[{"type":"section","text":{"type":"mrkdwn","text":"*{{ payload.account_id }}* owes {{ payload.shortfall | money: \'USD\' }}"}}]',
        },
      },
      BROKEN: { en: { title: 't', body: 'b', blocks: '[{"type": "section", {{ payload.account_id }}]' } },
    },
  });
  const render = createTemplateRenderer(book, 'slack');

  it('renders the layout as JSON, every value escaped for its JSON string, beside the title and body', () => {
    const message = render(dispatch({ channel: 'slack' }, { account_id: 'acc "7"\n</x>', shortfall: 5000 }));
    expect(message.title).toBe('Margin call on acc "7"\n</x>');
    expect(message.layout).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*acc "7"\n</x>* owes $5,000.00' } }]);
  });

  it('fails the notification for good, naming the field, when the layout does not render to JSON', () => {
    let caught: unknown;
    try {
      render(dispatch({ channel: 'slack', type: 'BROKEN' }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect(caught).toMatchObject({ field: 'layout', message: expect.stringContaining('layout did not render to JSON') });
    expect(isRetryable(caught)).toBe(false);
  });

  it('is a field only the chat channels name: email has no blocks', () => {
    expect(() => TemplateBook.fromObject({ email: { X: { en: { title: 't', body: 'b', blocks: '[]' } } } })).toThrow(
      /unknown field blocks/,
    );
  });
});
