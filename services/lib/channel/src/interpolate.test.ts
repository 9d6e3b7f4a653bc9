import { compileTemplate, escapeHtml, interpolate, lookup, placeholders, renderTemplate } from './interpolate';
import { TemplateError } from './template-error';

const data = {
  payload: { symbol: 'AAPL', quantity: 100, price: 150.25, filled: true, order: { id: 'o-1', legs: [{ symbol: 'MSFT' }] }, note: null, tags: ['a', 'b'] },
  severity: 'critical',
};

describe('interpolate', () => {
  it('replaces top-level and nested paths', () => {
    expect(interpolate('{{severity}}: {{payload.symbol}} x{{payload.quantity}} @ {{payload.price}}', data)).toBe('critical: AAPL x100 @ 150.25');
    expect(interpolate('order {{payload.order.id}}', data)).toBe('order o-1');
  });

  it('allows whitespace inside the braces', () => {
    expect(interpolate('{{  payload.symbol }}', data)).toBe('AAPL');
  });

  it('indexes lists by numeric segments', () => {
    expect(interpolate('{{payload.order.legs.0.symbol}}', data)).toBe('MSFT');
  });

  it('renders booleans as text and objects and lists as JSON', () => {
    expect(interpolate('{{payload.filled}} {{payload.tags}} {{payload.order.legs.0}}', data)).toBe('true ["a","b"] {"symbol":"MSFT"}');
  });

  it('renders missing values, nulls and paths through primitives as empty', () => {
    expect(interpolate('[{{payload.missing}}][{{payload.note}}][{{payload.symbol.length}}][{{nothing.at.all}}]', data)).toBe('[][][][]');
  });

  it.each([
    '{{constructor}}',
    '{{__proto__}}',
    '{{ payload.toString }}',
    '{{payload.constructor}}',
    '{{payload.constructor.constructor}}',
    '{{payload.__proto__.constructor}}',
    '{{payload.hasOwnProperty}}',
    '{{payload.tags.map}}',
    '{{valueOf}}',
  ])('renders %s empty: no inherited members, so no way to reach functions', (template) => {
    expect(interpolate(template, data)).toBe('');
  });

  it('does not evaluate expressions or calls; they are left as written', () => {
    const template = "{{ process.exit(1) }} {{payload.symbol + 1}} {{ require('fs') }}";
    expect(interpolate(template, { process, require })).toBe(template);
  });

  it('reads an own "__proto__" key from parsed JSON as plain data, without touching prototypes', () => {
    const parsed: unknown = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    expect(interpolate('{{__proto__.polluted}}', parsed)).toBe('yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('renders everything empty for non-object data', () => {
    expect(interpolate('a{{x}}b', null)).toBe('ab');
    expect(interpolate('a{{length}}b', 'a string')).toBe('ab');
  });

  it('leaves text without placeholders alone', () => {
    expect(interpolate('no {placeholders} here {{ }}', data)).toBe('no {placeholders} here {{ }}');
  });
});

describe('lookup', () => {
  it('returns the value at a path and undefined for inherited members', () => {
    expect(lookup(data, 'payload.order.id')).toBe('o-1');
    expect(lookup(data, 'payload.toString')).toBeUndefined();
    expect(lookup(data, 'constructor')).toBeUndefined();
  });
});

describe('interpolate with an encoder', () => {
  it('escapes substituted values for HTML but not the template text', () => {
    const html = interpolate('<b>{{payload.name}}</b>', { payload: { name: `<script>alert("x")</script> & 'co'` } }, escapeHtml);
    expect(html).toBe('<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</b>');
  });

  it('lists the placeholders of a template', () => {
    expect(placeholders('{{a}} and {{ payload.b.0 }} but not {{ x + 1 }}')).toEqual(['a', 'payload.b.0']);
  });
});

describe('filters', () => {
  const format = { locale: 'en-GB', timeZone: 'Europe/Paris', now: Date.parse('2026-12-03T06:41:00Z') };
  const margin = { payload: { account_id: 'acc789', shortfall: 5000, currency: 'EUR', deadline: '2026-12-03T08:41:00.257Z', note: 'soon' } };

  it('pipes a value through a filter with path and literal arguments', () => {
    const t = compileTemplate("deposit {{ payload.shortfall | money: payload.currency, 'USD' }} before {{payload.deadline|datetime}}");
    expect(renderTemplate(t, margin, { format })).toBe('deposit €5,000.00 before 3 Dec 2026, 09:41 CET');
    expect(renderTemplate(t, { payload: { ...margin.payload, currency: null } }, { format })).toBe('deposit US$5,000.00 before 3 Dec 2026, 09:41 CET');
  });

  it('reads double-quoted and numeric literals, and chains filters left to right', () => {
    expect(interpolate('{{ payload.shortfall | money: "GBP" }}', margin, undefined, format)).toBe('£5,000.00');
    expect(interpolate('{{ payload.shortfall | number: 2 }}', margin, undefined, format)).toBe('5,000.00');
    expect(interpolate('{{ payload.deadline | date | money: "USD" }}', margin, undefined, format)).toBe('3 Dec 2026');
  });

  it('renders values no filter applies to as given, and missing values empty', () => {
    expect(interpolate('[{{payload.note | money: "USD"}}][{{payload.missing | datetime}}]', margin, undefined, format)).toBe('[soon][]');
  });

  it('escapes the formatted value for HTML like any other value', () => {
    expect(interpolate('<td>{{ payload.note | relative }}</td>', { payload: { note: '<b>x</b>' } }, escapeHtml, format)).toBe('<td>&lt;b&gt;x&lt;/b&gt;</td>');
  });

  it('formats in English and UTC without a format context', () => {
    expect(interpolate('{{payload.deadline | datetime}}', margin)).toMatch(/^Dec 3, 2026, 8:41\sAM UTC$/);
  });

  it.each([
    ['{{ payload.shortfall | monye }}', /unknown filter "monye"/],
    ['{{ payload.shortfall | }}', /expected a filter name/],
    ['{{ payload.shortfall | money: }}', /expected a filter argument/],
    ['{{ payload.shortfall | money: "USD", }}', /expected a filter argument/],
    ['{{ payload.shortfall | money "USD" }}', /expected "\|" or the end/],
    ['{{ payload.shortfall | money: ("USD") }}', /cannot read/],
    ['{{ payload.shortfall | payload.money }}', /expected a filter name/],
    ['{{ payload.shortfall | constructor }}', /unknown filter "constructor"/],
  ])('refuses %s when compiling', (template, message) => {
    expect(() => compileTemplate(template)).toThrow(TemplateError);
    expect(() => compileTemplate(template)).toThrow(message);
  });

  it('lists the placeholders of a template with filters', () => {
    expect(placeholders('{{a | number}} and {{ b.c | money: d, "USD" }}')).toEqual(['a', 'b.c']);
  });
});
