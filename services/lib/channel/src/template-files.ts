/**
 * The texts of a templates directory as written, before compiling: `{ <file>: { <name>: { <locale>:
 * { <field>: text } } } }`, where a file is a channel name or `all`. Tenant overrides are kept per
 * name (tenant-templates.ts), so they need the shipped texts grouped by name, and the API lists them
 * as the starting point for a tenant's own version.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import yaml from 'js-yaml';
import { TemplateError } from './template-error';

export type TemplateFields = Record<string, string>;
export type TemplateFiles = Record<string, Record<string, Record<string, TemplateFields>>>;

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TemplateError(`${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function fieldsOf(value: unknown, where: string): TemplateFields {
  const fields: TemplateFields = {};
  for (const [field, text] of Object.entries(mapping(value, where))) {
    if (typeof text !== 'string') throw new TemplateError(`${where}.${field} must be a string`);
    fields[field] = text;
  }
  return fields;
}

export function readTemplateFiles(dir: string): TemplateFiles {
  if (!existsSync(dir)) throw new TemplateError(`templates directory ${dir} does not exist`);
  const files: TemplateFiles = {};
  for (const name of readdirSync(dir).sort()) {
    const ext = extname(name);
    if (!['.yaml', '.yml', '.json'].includes(ext)) continue;
    const source = join(dir, name);
    const text = readFileSync(source, 'utf8');
    const parsed: unknown = ext === '.json' ? JSON.parse(text) : yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: source });
    const byName: Record<string, Record<string, TemplateFields>> = {};
    for (const [templateName, locales] of Object.entries(mapping(parsed, source))) {
      const byLocale: Record<string, TemplateFields> = {};
      for (const [locale, fields] of Object.entries(mapping(locales, `${source}: ${templateName}`)))
        byLocale[locale] = fieldsOf(fields, `${source}: ${templateName}.${locale}`);
      byName[templateName] = byLocale;
    }
    files[basename(name, ext)] = byName;
  }
  return files;
}
