import avro from 'avsc';
import { avroToTypeScript } from './avro-to-ts';

const HEADER = '// header';

const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'test.v1',
  doc: 'An order.',
  fields: [
    { name: 'id', type: 'string', doc: 'The order id.' },
    { name: 'side', type: { type: 'enum', name: 'Side', symbols: ['buy', 'sell'], doc: 'Which way.' } },
    { name: 'quantity', type: 'int' },
    { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'price', type: ['null', 'double'], default: null },
    { name: 'raw', type: 'bytes' },
    { name: 'live', type: 'boolean' },
    { name: 'labels', type: { type: 'map', values: 'string' } },
    {
      name: 'fills',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Fill',
          fields: [
            { name: 'qty', type: 'int' },
            { name: 'venue', type: ['null', 'string'] },
          ],
        },
      },
    },
    {
      name: 'counterparty',
      type: [
        'null',
        {
          type: 'record',
          name: 'test.v1.Party',
          fields: [
            { name: 'name', type: 'string' },
            { name: 'side', type: 'test.v1.Side' },
          ],
        },
      ],
      default: null,
    },
    { name: 'amended', type: ['null', { type: 'array', items: 'Fill' }], default: null },
    { name: 'scores', type: { type: 'map', values: { type: 'array', items: 'float' } } },
  ],
};

describe('avroToTypeScript', () => {
  const code = avroToTypeScript(ORDER, HEADER);

  it('starts with the header', () => {
    expect(code.startsWith(`${HEADER}\n`)).toBe(true);
  });

  it('emits an enum as a string union plus a readonly list of its symbols', () => {
    expect(code).toContain("export type Side = 'buy' | 'sell';");
    expect(code).toContain("export const SideValues: readonly Side[] = ['buy', 'sell'];");
    expect(code).toContain('/** Which way. */\nexport type Side');
  });

  it('maps primitives, logical types, unions, maps, arrays and nested records', () => {
    const order = code.slice(code.indexOf('export interface Order {'));
    for (const line of [
      '  id: string;',
      '  side: Side;',
      '  quantity: number;',
      '  placed_at: number;',
      '  price: null | number;',
      '  raw: Buffer;',
      '  live: boolean;',
      '  labels: Record<string, string>;',
      '  fills: Array<Fill>;',
      '  counterparty: null | Party;',
      '  amended: null | Array<Fill>;',
      '  scores: Record<string, Array<number>>;',
    ])
      expect(order).toContain(line);
  });

  it('emits each named type once, nested types before the record that uses them', () => {
    const declared = [...code.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(declared).toEqual(['Side', 'Fill', 'Party', 'Order']);
    expect(code).toContain('export interface Fill {\n  qty: number;\n  venue: null | string;\n}');
    expect(code).toContain('export interface Party {\n  name: string;\n  side: Side;\n}');
  });

  it('carries record and field docs as comments', () => {
    expect(code).toContain('/** An order. */\nexport interface Order {');
    expect(code).toContain('  /** The order id. */\n  id: string;');
  });

  it('escapes a doc that would close the comment early', () => {
    const out = avroToTypeScript({ type: 'record', name: 'R', doc: 'ends */ early', fields: [] }, HEADER);
    expect(out).toContain('/** ends *\\/ early */');
  });

  it('resolves a recursive record by name', () => {
    const out = avroToTypeScript({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] }, HEADER);
    expect(out).toContain('export interface Node {\n  next: null | Node;\n}');
  });

  it('refuses a type it does not understand', () => {
    expect(() => avroToTypeScript({ type: 'record', name: 'R', fields: [{ name: 'x', type: { items: 'string' } }] }, HEADER)).toThrow(
      'unsupported Avro type',
    );
  });

  it('describes what avsc actually decodes', () => {
    // The declarations are only useful if they match avsc's runtime values for the same schema.
    const type = avro.Type.forSchema(ORDER as avro.Schema);
    const value = {
      id: 'o-1',
      side: 'sell',
      quantity: 3,
      placed_at: 1_700_000_000_000,
      price: 10.5,
      raw: Buffer.from([1, 2]),
      live: true,
      labels: { a: 'b' },
      fills: [{ qty: 1, venue: null }],
      counterparty: { name: 'x', side: 'buy' },
      amended: null,
      scores: { s: [0.5] },
    };
    const decoded = type.fromBuffer(type.toBuffer(value)) as Record<string, unknown>;
    expect(decoded).toEqual(value);
    expect(Buffer.isBuffer(decoded.raw)).toBe(true);
    expect(typeof decoded.placed_at).toBe('number');
  });
});
