import { readLines, type Line } from './line-reader';

async function* chunks(...parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function all(source: AsyncIterable<Buffer>, max = 100): Promise<Line[]> {
  const lines: Line[] = [];
  for await (const line of readLines(source, max)) lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('numbers every line, blank ones included, with or without a final LF', async () => {
    expect(await all(chunks('a\n\nb\n'))).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: '' },
      { number: 3, text: 'b' },
    ]);
    expect(await all(chunks('a\nb'))).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'b' },
    ]);
    expect(await all(chunks(''))).toEqual([]);
  });

  it('joins lines split between chunks, and drops the CR of CRLF', async () => {
    expect(await all(chunks('us', 'er-1\r', '\nuser', '-2\r\n'))).toEqual([
      { number: 1, text: 'user-1' },
      { number: 2, text: 'user-2' },
    ]);
  });

  it('decodes a character whose bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('zoë\n');
    const split = bytes.indexOf(0xc3) + 1;
    expect(await all(chunks(bytes.subarray(0, split), bytes.subarray(split)))).toEqual([{ number: 1, text: 'zoë' }]);
  });

  it('reports a line over the limit without its text and carries on with the next one', async () => {
    const lines = await all(chunks('ok\n', 'x'.repeat(6), 'x'.repeat(6), '\nnext\n', 'y'.repeat(20)), 10);
    expect(lines).toEqual([
      { number: 1, text: 'ok' },
      { number: 2, text: null },
      { number: 3, text: 'next' },
      { number: 4, text: null },
    ]);
  });

  it('takes a line of exactly the limit', async () => {
    expect(await all(chunks('x'.repeat(10), '\n'), 10)).toEqual([{ number: 1, text: 'x'.repeat(10) }]);
  });
});
