/**
 * A tenant's template fields compiled the way the channel worker compiles them, or the problems
 * that keep it from being stored, activated or previewed: each with its field and, for Liquid
 * errors (syntax, an unknown filter), the line and column in that field's text.
 */
import { compileMessageTemplate, TemplateError, type MessageTemplate, type TemplateEngine } from '@notify/channel';

export interface TemplateProblem {
  field: string;
  line: number | null;
  column: number | null;
  message: string;
}

export type TemplateCheck = { ok: true; template: MessageTemplate } | { ok: false; problems: TemplateProblem[] };

export function problemOf(error: TemplateError): TemplateProblem {
  return { field: error.field ?? 'template', line: error.line ?? null, column: error.column ?? null, message: error.message };
}

export function checkTemplate(fields: Record<string, unknown>, channel: string, where: string, engine: TemplateEngine): TemplateCheck {
  try {
    return { ok: true, template: compileMessageTemplate(fields, channel, where, engine) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problems: [problemOf(error)] };
    throw error;
  }
}
