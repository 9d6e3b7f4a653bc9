import { compileTemplate, escapeHtml, renderTemplate, type RenderOptions } from './interpolate';
import { createTemplateEngine } from './template-engine';
import { TemplateError, TemplateLimitError } from './template-error';

const engine = createTemplateEngine();
const render = (source: string, data: object, options?: RenderOptions, field = 'body') =>
  renderTemplate(compileTemplate(engine, source, field), data, options);
/** The error a template throws, compiling or rendering. */
function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

const data = {
  payload: {
    symbol: 'AAPL',
    quantity: 100,
    price: 150.25,
    filled: true,
    order: { id: 'o-1', legs: [{ symbol: 'MSFT' }] },
    note: null,
    tags: ['a', 'b'],
  },
  severity: 'critical',
};

describe('the Liquid template language', () => {
  it('replaces top-level and nested paths, with or without spaces in the braces', () => {
    expect(render('{{severity}}: {{ payload.symbol }} x{{payload.quantity}} @ {{payload.price}}', data)).toBe(
      'critical: AAPL x100 @ 150.25',
    );
    expect(render('order {{payload.order.id}}, leg {{ payload.order.legs[0].symbol }} / {{payload.order.legs.0.symbol}}', data)).toBe(
      'order o-1, leg MSFT / MSFT',
    );
  });

  it('loops, branches and applies Liquid filters', () => {
    expect(
      render('{% for t in payload.tags %}{{ forloop.index }}.{{ t | upcase }}{% unless forloop.last %}, {% endunless %}{% endfor %}', data),
    ).toBe('1.A, 2.B');
    expect(render('{% if payload.quantity > 50 %}big{% elsif payload.quantity > 0 %}small{% else %}none{% endif %}', data)).toBe('big');
    expect(
      render(
        '{% case severity %}{% when "critical" %}!!{% else %}.{% endcase %} {{ payload.tags | size }} {{ payload.tags | join: "+" }}',
        data,
      ),
    ).toBe('!! 2 a+b');
  });

  it("prints booleans as text, a list's items run together, missing values and nulls empty", () => {
    expect(render('{{payload.filled}} {{payload.tags}} [{{payload.missing}}][{{payload.note}}][{{nothing.at.all}}]', data)).toBe(
      'true ab [][][]',
    );
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
  ])('renders %s empty: only own properties, so no way to reach functions', (template) => {
    expect(render(template, data)).toBe('');
  });

  it('reads an own "__proto__" key from parsed JSON as plain data, without touching prototypes', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}}') as object;
    expect(render('{{__proto__.polluted}}', parsed)).toBe('yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{{ process.exit(1) }}'],
    ["{{ require('fs') }}"],
    ["{% include 'secrets.yaml' %}"],
    ["{% render 'other' %}"],
    ["{% layout 'base' %}"],
  ])('refuses %s: no calls and no files', (template) => {
    expect(() => compileTemplate(engine, template, 'body')).toThrow(TemplateError);
  });
});

describe('Intl filters, formatted per render', () => {
  const margin = {
    payload: { account_id: 'acc789', shortfall: 5000, currency: 'EUR', deadline: '2026-12-03T08:41:00.257Z', note: 'soon', ratio: 0.185 },
  };
  const at = (locale: string, timeZone = 'Europe/Paris'): RenderOptions => ({
    format: { locale, timeZone, now: Date.parse('2026-12-03T06:41:00Z') },
  });
  const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

  it('keeps the `money: path, literal` form of the old templates', () => {
    const t = compileTemplate(
      engine,
      "deposit {{ payload.shortfall | money: payload.currency, 'USD' }} before {{payload.deadline|datetime}}",
      'body',
    );
    expect(renderTemplate(t, margin, at('en-GB'))).toBe('deposit €5,000.00 before 3 Dec 2026, 09:41 CET');
    expect(renderTemplate(t, { payload: { ...margin.payload, currency: null } }, at('en-GB'))).toBe(
      'deposit US$5,000.00 before 3 Dec 2026, 09:41 CET',
    );
  });

  it('formats money in fr-CA, en-US and de, and dates in de', () => {
    const money = "{{ payload.shortfall | money: 'USD' }}";
    expect(nbsp(render(money, margin, at('fr-CA')))).toBe('5 000,00 $ US');
    expect(render(money, margin, at('en-US'))).toBe('$5,000.00');
    expect(nbsp(render(money, margin, at('de')))).toBe('5.000,00 $');
    expect(render('{{ payload.deadline | date }}', margin, at('de'))).toBe('03.12.2026');
    expect(render('{{ payload.deadline | datetime }}', margin, at('de', 'Europe/Berlin'))).toBe('3. Dez. 2026, 09:41 MEZ');
    expect(nbsp(render('{{ payload.deadline | datetime }}', margin, at('en-US', 'America/New_York')))).toBe('Dec 3, 2026, 3:41 AM EST');
  });

  it("formats numbers, percentages and relative times in the render's locale", () => {
    expect(nbsp(render('{{ payload.shortfall | number: 2 }} {{ payload.ratio | percent }}', margin, at('fr')))).toBe('5 000,00 18,5 %');
    expect(render('{{ payload.deadline | relative }}', margin, at('en'))).toBe('in 2 hours');
    expect(render('{{ payload.deadline | relative }}', margin, at('fr'))).toBe('dans 2 heures');
  });

  it('formats each render with its own locale, though they share one engine', () => {
    const t = compileTemplate(engine, "{% for i in (1..2) %}{{ payload.shortfall | money: 'EUR' }};{% endfor %}", 'body');
    const outputs = ['en', 'de', 'en-GB'].map((locale) => nbsp(renderTemplate(t, margin, at(locale))));
    expect(outputs).toEqual(['€5,000.00;€5,000.00;', '5.000,00 €;5.000,00 €;', '€5,000.00;€5,000.00;']);
  });

  it('renders values no filter applies to as given, and missing values empty', () => {
    expect(render("[{{payload.note | money: 'USD'}}][{{payload.missing | datetime}}]", margin, at('en'))).toBe('[soon][]');
  });

  it('formats in English and UTC without a format', () => {
    expect(render('{{payload.deadline | datetime}}', margin)).toMatch(/^Dec 3, 2026, 8:41\sAM UTC$/);
  });
});

describe('HTML escaping', () => {
  const evil = { payload: { name: `<script>alert("x")</script> & 'co'`, link: '<a href="/x">x</a>' } };

  it('escapes every output of an html field, unless it ends in raw', () => {
    expect(render('<b>{{payload.name}}</b>{{ payload.link | raw }}', evil, {}, 'html')).toBe(
      '<b>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;</b><a href="/x">x</a>',
    );
  });

  it('escapes filtered values too, and never escapes a text field', () => {
    expect(render('<td>{{ payload.name | upcase }}</td>', evil, {}, 'html')).toBe(
      '<td>&lt;SCRIPT&gt;ALERT(&#34;X&#34;)&lt;/SCRIPT&gt; &amp; &#39;CO&#39;</td>',
    );
    expect(render('{{ payload.name }}', evil, {}, 'body')).toBe(evil.payload.name);
    expect(render('{{ payload.name }}', evil, {}, 'title')).toBe(evil.payload.name);
  });

  it('escapes markup built in code the same way', () => {
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});

describe('template errors', () => {
  it('names an unknown filter with its field, line and column when compiling', () => {
    const error = failure(() =>
      compileTemplate(engine, 'Dear {{ name }},\nyou owe {{ payload.shortfall | monye }}.', 'body', 'sms: MARGIN_CALL.fr.'),
    );
    expect(error).toMatchObject({ field: 'body', line: 2, column: 9, retryable: false });
    expect(error.message).toBe('sms: MARGIN_CALL.fr.body, line 2, column 9: undefined filter: monye');
  });

  it.each([
    ['a\n\n  {% if x %}unclosed', 3, 3],
    ['{% for %}{% endfor %}', 1, 1],
    ['{{ x', 1, 1],
    ['{% nonsense %}', 1, 1],
  ])('refuses %j with its position', (template, line, column) => {
    const error = failure(() => compileTemplate(engine, template, 'title'));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ field: 'title', line, column });
  });

  it('reports a variable the sample lacks only when rendering strictly (previews)', () => {
    const t = compileTemplate(engine, 'Hello {{ payload.name }},\n{{ payload.missing }}', 'body');
    expect(renderTemplate(t, { payload: { name: 'Ada' } })).toBe('Hello Ada,\n');
    const error = failure(() => renderTemplate(t, { payload: { name: 'Ada' } }, { strictVariables: true }));
    expect(error).toMatchObject({ field: 'body', line: 2, column: 4 });
    expect(error.message).toMatch(/undefined variable: payload\.missing/);
    expect(
      renderTemplate(
        compileTemplate(engine, '{% if payload.missing %}x{% else %}y{% endif %}', 'body'),
        { payload: {} },
        { strictVariables: true },
      ),
    ).toBe('y');
  });

  it('refuses a template longer than the source limit', () => {
    expect(() => compileTemplate(createTemplateEngine({ sourceChars: 10 }), 'x'.repeat(11), 'body')).toThrow(
      /body is longer than 10 characters/,
    );
  });
});

describe('render limits', () => {
  function limitOf(run: () => unknown): TemplateLimitError {
    const error = failure(run);
    expect(error).toBeInstanceOf(TemplateLimitError);
    return error as TemplateLimitError;
  }

  it('stops a loop over a huge range before it starts, naming the iteration limit', () => {
    const started = Date.now();
    const error = limitOf(() => render('{% for i in (1..100000000) %}x{% endfor %}', {}));
    expect(error).toMatchObject({ limit: 'iterations', field: 'body', code: 'template_limit', retryable: false });
    expect(error.message).toMatch(/body stopped, line 1, column 1: the template went over 200000 loop iterations/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops a render that outputs megabytes at the output cap', () => {
    const line = `${'0123456789'.repeat(10)}{{ i }}\n`;
    const error = limitOf(() => render(`{% for i in (1..20000) %}${line}{% endfor %}`, {}));
    expect(error).toMatchObject({ limit: 'output size' });
    expect(error.message).toMatch(/rendered more than 65536 characters/);
  });

  it('stops nested loops that run too long, naming the time limit', () => {
    const slow = createTemplateEngine({ renderMs: 20, iterations: 1e9 });
    const started = Date.now();
    const error = limitOf(() =>
      renderTemplate(compileTemplate(slow, '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}', 'html'), {}),
    );
    expect(error).toMatchObject({ limit: 'time', field: 'html' });
    expect(error.message).toMatch(/took longer than 20 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts the CPU time a render uses, so one held up without working (a busy machine) still renders', () => {
    const waiting = createTemplateEngine({ renderMs: 50 });
    // Blocks the thread without using CPU, as a descheduled process would look to the render.
    waiting.text.registerFilter('stall', (value: unknown) => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      return value;
    });
    const started = Date.now();
    expect(renderTemplate(compileTemplate(waiting, '{{ "a" | stall }}{% for i in (1..3) %}{{ i }}{% endfor %}', 'body'), {})).toBe('a123');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('gives every render its own budget, so one that hit a limit does not starve the next', () => {
    const small = createTemplateEngine({ iterations: 1000, renderMs: 10_000 });
    const t = compileTemplate(small, '{% for i in (1..800) %}{% endfor %}ok', 'body');
    expect(renderTemplate(t, {})).toBe('ok');
    expect(renderTemplate(t, {})).toBe('ok');
    expect(() => renderTemplate(compileTemplate(small, '{% for i in (1..1001) %}x{% endfor %}', 'body'), {})).toThrow(TemplateLimitError);
    expect(renderTemplate(t, {})).toBe('ok');
  });
});
