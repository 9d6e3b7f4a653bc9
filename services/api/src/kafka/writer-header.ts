/**
 * The header on every record the API writes to the per-user compacted topics. The API's own
 * notifications.recipients consumer adopts what other writers put there and must not mistake the
 * API's records for theirs (adopting its own output would be a no-op at best, a stale overwrite at worst).
 */
import type { Headers } from '@notify/kafka';

export const WRITER_HEADER = 'notify-writer';
export const API_WRITER = 'api';

export const apiWriterHeaders: Readonly<Headers> = Object.freeze({ [WRITER_HEADER]: API_WRITER });

export function writtenByApi(headers: Readonly<Headers>): boolean {
  return headers[WRITER_HEADER] === API_WRITER;
}
