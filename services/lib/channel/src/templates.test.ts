import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplate } from './interpolate';
import { BUNDLED_TEMPLATES_DIR, compileMessageTemplate, TemplateBook, TemplateError, type MessageTemplate } from './templates';

const text = (title: string, extra: Record<string, string> = {}) => ({ title, body: `${title} body`, ...extra });
const titleOf = (found: { template: MessageTemplate } | undefined) => (found ? renderTemplate(found.template.title, {}) : undefined);
const MARGIN = { template: 'risk.margin_call', type: 'MARGIN_CALL' };

describe('TemplateBook lookup order', () => {
  /** Every level of the order, each holding an English text named after it. */
  const LEVELS: Array<[file: string, key: string, name: string]> = [
    ['sms', 'risk.margin_call', 'sms template id'],
    ['all', 'risk.margin_call', 'shared template id'],
    ['sms', 'MARGIN_CALL', 'sms event type'],
    ['all', 'MARGIN_CALL', 'shared event type'],
    ['sms', 'default', 'sms default'],
    ['all', 'default', 'shared default'],
  ];

  function bookFrom(levels: typeof LEVELS): TemplateBook {
    const files: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [file, key, name] of levels) ((files[file] ??= {})[key] ??= {}).en = text(name);
    return TemplateBook.fromObject(files);
  }

  it.each(LEVELS.map((level, i) => [level[2], i] as const))('picks the %s when no earlier level has a text', (name, i) => {
    expect(titleOf(bookFrom(LEVELS.slice(i)).find(MARGIN, 'sms', 'en'))).toBe(name);
  });

  it('finds nothing when no level has a text', () => {
    expect(bookFrom([]).find(MARGIN, 'sms', 'en')).toBeUndefined();
  });

  it('goes by event type when no template id was chosen, or when the chosen one does not exist', () => {
    const book = bookFrom(LEVELS);
    expect(titleOf(book.find({ template: '', type: 'MARGIN_CALL' }, 'sms', 'en'))).toBe('sms event type');
    expect(titleOf(book.find({ type: 'MARGIN_CALL' }, 'sms', 'en'))).toBe('sms event type');
    expect(titleOf(book.find({ template: 'risk.unknown', type: 'MARGIN_CALL' }, 'sms', 'en'))).toBe('sms event type');
  });

  it('never treats `default` as a chosen template id ahead of the event type', () => {
    expect(titleOf(bookFrom(LEVELS).find({ template: 'default', type: 'MARGIN_CALL' }, 'sms', 'en'))).toBe('sms event type');
  });

  it('uses the shared file for a channel that has none', () => {
    expect(titleOf(bookFrom(LEVELS).find(MARGIN, 'slack', 'en'))).toBe('shared template id');
  });

  it('tries the whole locale chain fr-CA → fr → en at one level before the next level', () => {
    const book = TemplateBook.fromObject({
      sms: { 'risk.margin_call': { en: text('sms id en'), fr: text('sms id fr'), 'fr-CA': text('sms id fr-CA') } },
      all: { 'risk.margin_call': { 'fr-CA': text('shared id fr-CA') }, MARGIN_CALL: { de: text('shared type de') } },
    });
    expect(book.find(MARGIN, 'sms', 'fr-CA')).toMatchObject({ locale: 'fr-CA' });
    expect(titleOf(book.find(MARGIN, 'sms', 'fr-CA'))).toBe('sms id fr-CA');
    expect(titleOf(book.find(MARGIN, 'sms', 'fr-BE'))).toBe('sms id fr');
    expect(titleOf(book.find(MARGIN, 'sms', 'de'))).toBe('sms id en');
    expect(book.find(MARGIN, 'sms', 'de')).toMatchObject({ locale: 'en' });
  });

  it('with a field, skips templates that lack it (digest item lines)', () => {
    const book = TemplateBook.fromObject({
      email: { STOP_LOSS_TRIGGERED: { en: text('email stop', {}) } },
      all: { STOP_LOSS_TRIGGERED: { fr: text('shared stop fr', { item: 'fr line' }), en: text('shared stop en', { item: 'en line' }) } },
    });
    const found = book.find({ type: 'STOP_LOSS_TRIGGERED' }, 'email', 'fr', 'item');
    expect(found && renderTemplate(found.template.item!, {})).toBe('fr line');
    expect(titleOf(book.find({ type: 'STOP_LOSS_TRIGGERED' }, 'email', 'fr'))).toBe('email stop');
    expect(book.find({ type: 'ORDER_FILLED' }, 'email', 'en', 'item')).toBeUndefined();
  });
});

describe('TemplateBook loading', () => {
  it('refuses an unknown filter when the templates are loaded, naming where it is', () => {
    const load = () =>
      TemplateBook.fromObject({
        all: { 'risk.margin_call': { fr: { title: 't', body: 'Il manque {{ payload.shortfall | monnaie }}.' } } },
      });
    expect(load).toThrow(TemplateError);
    expect(load).toThrow('all: risk.margin_call.fr.body, line 1, column 11: undefined filter: monnaie');
    expect(load).toThrow(expect.objectContaining({ field: 'body', line: 1, column: 11 }));
  });

  it('refuses an unknown filter in a template file of a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    try {
      writeFileSync(
        join(dir, 'sms.yaml'),
        'MARGIN_CALL:\n  en: { title: "t", body: "short {{payload.shortfall | money: payload.currency}}", item: "{{payload.deadline | when}}" }\n',
      );
      expect(() => TemplateBook.fromDirectory(dir)).toThrow(/sms\.yaml: MARGIN_CALL\.en\.item, line 1, column 1: undefined filter: when/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts the item, group and more fields and nothing else', () => {
    expect(() =>
      TemplateBook.fromObject({ all: { DIGEST: { en: text('d', { group: '{{type_title}}: {{count}}', more: 'and {{count}} more' }) } } }),
    ).not.toThrow();
    expect(() => TemplateBook.fromObject({ all: { DIGEST: { en: text('d', { footer: 'x' }) } } })).toThrow(/unknown field footer/);
  });

  it("ships texts for seed 001's risk.margin_call id on every channel file and keeps MARGIN_CALL", () => {
    const book = TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR);
    for (const channel of ['email', 'sms', 'voice', 'slack']) {
      for (const locale of ['en', 'fr']) {
        expect(titleOf(book.find(MARGIN, channel, locale))).toMatch(/^(Margin call|Appel de marge)/);
        expect(titleOf(book.find({ template: '', type: 'MARGIN_CALL' }, channel, locale))).toMatch(
          /^(MARGIN CALL|APPEL DE MARGE|Margin call|Appel de marge)/,
        );
      }
    }
  });
});

describe('channel field names and validation', () => {
  it('accepts subject and text for email, text for sms, speech for voice, and leaves sms and voice titles optional', () => {
    const book = TemplateBook.fromObject({
      email: { X: { en: { subject: 'Hello {{ name }}', text: 'plain', html: '<p>{{ name }}</p>' } } },
      sms: { X: { en: { text: 'sms text' } } },
      voice: { X: { en: { speech: 'spoken' } } },
    });
    const email = book.find({ type: 'X' }, 'email', 'en')?.template;
    expect(email && renderTemplate(email.title, { name: '<Ada>' })).toBe('Hello <Ada>');
    expect(email?.html && renderTemplate(email.html, { name: '<Ada>' })).toBe('<p>&lt;Ada&gt;</p>');
    expect(email && renderTemplate(email.body, {})).toBe('plain');
    expect(renderTemplate(book.find({ type: 'X' }, 'sms', 'en')!.template.body, {})).toBe('sms text');
    expect(renderTemplate(book.find({ type: 'X' }, 'voice', 'en')!.template.body, {})).toBe('spoken');
    expect(() => TemplateBook.fromObject({ slack: { X: { en: { text: 'no alias on slack' } } } })).toThrow(/unknown field text/);
    expect(() => TemplateBook.fromObject({ push: { X: { en: { body: 'no title' } } } })).toThrow(/needs both title and body/);
    expect(() => TemplateBook.fromObject({ email: { X: { en: { subject: 'a', title: 'b', body: 'c' } } } })).toThrow(
      /title is given twice/,
    );
  });

  it('compiles one template for the API, reporting the first failing field with its position', () => {
    expect(() => compileMessageTemplate({ title: 'ok', body: 'fine' }, 'push', 'acme MARGIN_CALL push/en: ')).not.toThrow();
    let error: unknown;
    try {
      compileMessageTemplate({ subject: 'ok', text: 'line one\n{% if x %}never closed' }, 'email', 'acme MARGIN_CALL email/en: ');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ field: 'body', line: 2, column: 1, retryable: false });
    expect((error as Error).message).toMatch(/^acme MARGIN_CALL email\/en: body, line 2, column 1: /);
  });

  it('finds an event type written in lower case under its capitalised template', () => {
    const book = TemplateBook.fromObject({ all: { STOP_LOSS_TRIGGERED: { en: text('stop') }, default: { en: text('default') } } });
    expect(titleOf(book.find({ type: 'stop_loss_triggered' }, 'slack', 'en'))).toBe('stop');
    expect(titleOf(book.find({ type: 'take_profit_triggered' }, 'slack', 'en'))).toBe('default');
  });

  it('falls back fr-CA → fr → en, a text at a time', () => {
    const book = TemplateBook.fromObject({
      all: {
        X: { 'fr-CA': text('canadien'), fr: text('français'), en: text('english') },
        Y: { fr: text('fr only'), en: text('en') },
        Z: { en: text('en only') },
      },
    });
    expect(book.find({ type: 'X' }, 'sms', 'fr-CA')?.locale).toBe('fr-CA');
    expect(titleOf(book.find({ type: 'Y' }, 'sms', 'fr-CA'))).toBe('fr only');
    expect(book.find({ type: 'Z' }, 'sms', 'fr-CA')).toMatchObject({ locale: 'en' });
    expect(titleOf(book.find({ type: 'Z' }, 'sms', 'fr_CA'))).toBe('en only');
  });
});
