/** Local times of day written `HH:MM` (quiet hours start and end). */

const CLOCK_TIME = /^(\d{1,2}):(\d{2})$/;

/** Minutes after local midnight, or null when the text is not a time of day from 00:00 to 23:59. */
export function parseClockTime(text: string): number | null {
  const match = CLOCK_TIME.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}
