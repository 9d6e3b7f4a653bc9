/**
 * SMS segment arithmetic. Text made only of GSM 03.38 characters travels as GSM-7: 160 septets in one
 * message, 153 per part once split (the rest is the concatenation header); characters of the
 * extension table (^ { } [ ] ~ | € \ and form feed) take two septets. Anything else forces UCS-2:
 * 70 UTF-16 units alone, 67 per part.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

function gsmUnits(char: string): number | undefined {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENSION.has(char)) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (gsmUnits(char) === undefined) return false;
  return true;
}

function unitsOf(char: string, encoding: SmsEncoding): number {
  return encoding === 'GSM-7' ? (gsmUnits(char) ?? 1) : char.length;
}

export function countSegments(text: string): SegmentCount {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  let units = 0;
  for (const char of text) units += unitsOf(char, encoding);
  const { single, part } = LIMITS[encoding];
  return { encoding, units, segments: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / part) };
}

/** Units that fit in `segments` messages of an encoding. */
export function capacity(encoding: SmsEncoding, segments: number): number {
  const { single, part } = LIMITS[encoding];
  return segments <= 1 ? single : part * segments;
}

/**
 * The text cut to at most `maxSegments` segments, ending in an ellipsis when cut ("..." in GSM-7,
 * which has no "…"). Cuts between code points, never inside a surrogate pair.
 */
export function fitToSegments(text: string, maxSegments: number): string {
  const counted = countSegments(text);
  if (counted.segments <= maxSegments) return text;
  const encoding = counted.encoding;
  const ellipsis = encoding === 'GSM-7' ? '...' : '…';
  const budget = capacity(encoding, maxSegments) - countSegments(ellipsis).units;
  let used = 0;
  let cut = '';
  for (const char of text) {
    const units = unitsOf(char, encoding);
    if (used + units > budget) break;
    used += units;
    cut += char;
  }
  return cut.trimEnd() + ellipsis;
}
