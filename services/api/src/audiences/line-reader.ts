/**
 * Splits a byte stream into numbered lines as it arrives, holding at most one line in memory. A line
 * longer than `maxLineBytes` comes out without its text, its bytes dropped as they stream past, so
 * one huge line cannot make the reader buffer it. LF ends a line and a CR before it is removed; the
 * last line needs no LF. Each line is decoded only once whole, so a character split between two
 * chunks is read intact.
 */
export interface Line {
  /** 1-based, counting every line including blank ones, as an editor shows them. */
  number: number;
  /** null when the line was longer than the limit. */
  text: string | null;
}

const LF = 0x0a;

export async function* readLines(source: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let number = 0;
  const take = (): Line => {
    number += 1;
    const text = tooLong ? null : withoutCr(Buffer.concat(parts, size).toString('utf8'));
    parts = [];
    size = 0;
    tooLong = false;
    return { number, text };
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(LF, start);
      const piece = bytes.subarray(start, end === -1 ? bytes.length : end);
      if (!tooLong && size + piece.length > maxLineBytes) {
        tooLong = true;
        parts = [];
        size = 0;
      }
      if (!tooLong) {
        parts.push(piece);
        size += piece.length;
      }
      if (end === -1) break;
      yield take();
      start = end + 1;
    }
  }
  if (size > 0 || tooLong) yield take();
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
