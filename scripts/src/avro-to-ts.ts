/**
 * Turns Avro schema JSON into TypeScript declarations. The output is the only TypeScript
 * description of our records, so it must follow exactly what avsc decodes to.
 */
type AvroType = string | AvroType[] | { [key: string]: unknown };

interface Emitted {
  name: string;
  code: string;
}

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function shortName(full: string): string {
  const dot = full.lastIndexOf('.');
  return dot === -1 ? full : full.slice(dot + 1);
}

function docComment(doc: unknown, indent: string): string {
  if (typeof doc !== 'string' || doc.length === 0) return '';
  return `${indent}/** ${doc.replace(/\*\//g, '*\\/')} */\n`;
}

export function avroToTypeScript(schema: AvroType, header: string): string {
  const emitted = new Map<string, Emitted>();
  const order: string[] = [];

  function typeOf(t: AvroType): string {
    if (typeof t === 'string') {
      const primitive = PRIMITIVES[t];
      if (primitive) return primitive;
      return shortName(t);
    }
    if (Array.isArray(t)) {
      return t.map((member) => typeOf(member)).join(' | ');
    }
    const kind = t.type;
    if (kind === 'record' || kind === 'error') return emitRecord(t);
    if (kind === 'enum') return emitEnum(t);
    if (kind === 'array') return `Array<${typeOf(t.items as AvroType)}>`;
    if (kind === 'map') return `Record<string, ${typeOf(t.values as AvroType)}>`;
    if (kind === 'fixed') return 'Buffer';
    if (typeof kind === 'string' || Array.isArray(kind) || typeof kind === 'object') {
      return typeOf(kind as AvroType);
    }
    throw new Error(`unsupported Avro type: ${JSON.stringify(t)}`);
  }

  function emitEnum(t: { [key: string]: unknown }): string {
    const name = shortName(String(t.name));
    if (!emitted.has(name)) {
      const symbols = (t.symbols as string[]).map((s) => `'${s}'`).join(' | ');
      const values = (t.symbols as string[]).map((s) => `'${s}'`).join(', ');
      const code =
        docComment(t.doc, '') + `export type ${name} = ${symbols};\n` + `export const ${name}Values: readonly ${name}[] = [${values}];\n`;
      emitted.set(name, { name, code });
      order.push(name);
    }
    return name;
  }

  function emitRecord(t: { [key: string]: unknown }): string {
    const name = shortName(String(t.name));
    if (emitted.has(name)) return name;
    // Reserve the name first so recursive references resolve.
    emitted.set(name, { name, code: '' });
    const fields = (t.fields as Array<{ [key: string]: unknown }>).map((f) => {
      const fieldType = typeOf(f.type as AvroType);
      return `${docComment(f.doc, '  ')}  ${String(f.name)}: ${fieldType};`;
    });
    const code = `${docComment(t.doc, '')}export interface ${name} {\n${fields.join('\n')}\n}\n`;
    emitted.set(name, { name, code });
    order.push(name);
    return name;
  }

  typeOf(schema);
  const body = order.map((n) => emitted.get(n)?.code ?? '').join('\n');
  return `${header}\n${body}`;
}
