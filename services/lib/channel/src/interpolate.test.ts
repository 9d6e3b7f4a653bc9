import { escapeHtml, interpolate, lookup, placeholders } from './interpolate';

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
