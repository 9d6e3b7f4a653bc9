import { cutText, cutToBytes, fitBody } from './payload-fit';

const jsonSize = (body: string) => Buffer.byteLength(JSON.stringify({ aps: { alert: { title: 'Margin call', body } }, id: 'n-1' }));

describe('payload fitting', () => {
  it('keeps a body that fits', () => {
    expect(fitBody('short', 4096, jsonSize)).toBe('short');
  });

  it('cuts a long body so the whole payload is at most the limit, ending in an ellipsis', () => {
    const body = 'x'.repeat(10_000);
    const fitted = fitBody(body, 4096, jsonSize);
    expect(jsonSize(fitted)).toBeLessThanOrEqual(4096);
    expect(jsonSize(fitted)).toBeGreaterThan(4096 - 8);
    expect(fitted.endsWith('…')).toBe(true);
  });

  it('counts JSON escaping and multi-byte characters, never splitting one', () => {
    for (const unit of ['"', '\\', 'é', '😀', '€"']) {
      const fitted = fitBody(unit.repeat(5_000), 1024, jsonSize);
      expect(jsonSize(fitted)).toBeLessThanOrEqual(1024);
      expect(fitted.length).toBeGreaterThan(100);
      expect(fitted).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it('gives an empty body when even one character does not fit', () => {
    expect(fitBody('body', 10, jsonSize)).toBe('');
  });

  it('cuts by bytes and by characters at character boundaries', () => {
    expect(cutToBytes('aé😀b', 3)).toBe('aé');
    expect(cutToBytes('aé😀b', 7)).toBe('aé😀');
    expect(cutText('😀'.repeat(10), 4)).toBe('😀😀😀…');
    expect(cutText('short', 10)).toBe('short');
  });
});
