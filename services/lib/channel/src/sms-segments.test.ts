import { countSegments, fitToSegments, isGsm7 } from './sms-segments';

describe('countSegments', () => {
  it('fits 160 GSM-7 characters in one segment and splits at 153 after that', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension-table characters twice', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments(`${'a'.repeat(159)}{`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('[]~|^\\').units).toBe(12);
  });

  it('keeps accented letters of the GSM set (é, ü, Ñ) in GSM-7', () => {
    expect(isGsm7('Résumé für Ñoño')).toBe(true);
    expect(isGsm7('Ñandú')).toBe(false); // ú is not in the GSM set (ù is)
  });

  it('switches to UCS-2 for anything outside GSM 03.38: 70 alone, 67 per part', () => {
    expect(countSegments('ç'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 }); // lower-case ç is not GSM
    expect(countSegments('ê'.repeat(71)).segments).toBe(2);
    expect(countSegments('ê'.repeat(134)).segments).toBe(2);
    expect(countSegments('ê'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(countSegments('🚀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
  });
});

describe('fitToSegments', () => {
  it('leaves text within the budget alone', () => {
    expect(fitToSegments('short', 1)).toBe('short');
  });

  it('cuts GSM-7 text to the budget with "..."', () => {
    const fitted = fitToSegments('word '.repeat(100), 2);
    expect(countSegments(fitted)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(fitted.endsWith('...')).toBe(true);
    expect(countSegments(fitted).units).toBeLessThanOrEqual(306);
  });

  it('cuts UCS-2 text with "…" and never splits a surrogate pair', () => {
    const fitted = fitToSegments('🚀'.repeat(100), 1);
    expect(countSegments(fitted)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(fitted).toBe(`${'🚀'.repeat(34)}…`);
  });

  it('respects double-width characters at the edge', () => {
    const fitted = fitToSegments('€'.repeat(200), 1);
    expect(countSegments(fitted)).toMatchObject({ encoding: 'GSM-7', units: 159, segments: 1 });
  });
});
