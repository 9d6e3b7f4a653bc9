/**
 * The API's producer stamps every record with the active span's `traceparent` (the request's server
 * span, see http/request-tracing.ts), unless the record already names one: a replayed dead letter
 * keeps the headers it is given.
 */
import type { OutgoingRecord, ProducerPort } from '@notify/kafka';
import { activeTraceHeaders } from '@notify/runner';

export function tracedProducer(producer: ProducerPort): ProducerPort {
  const stamp = (records: OutgoingRecord[]): OutgoingRecord[] => {
    const headers = activeTraceHeaders();
    if (!headers.traceparent) return records;
    return records.map((r) => (r.headers?.traceparent ? r : { ...r, headers: { ...headers, ...r.headers } }));
  };
  return {
    connect: () => producer.connect(),
    send: (records) => producer.send(stamp(records)),
    transaction: async () => {
      const tx = await producer.transaction();
      return {
        send: (records: OutgoingRecord[]) => tx.send(stamp(records)),
        sendOffsets: (groupId, offsets) => tx.sendOffsets(groupId, offsets),
        commit: () => tx.commit(),
        abort: () => tx.abort(),
      };
    },
    disconnect: () => producer.disconnect(),
  };
}
