/**
 * Produces `total` records as fast as the producer allows (or at a fixed rate): batches of
 * `batchSize` per send call, `inFlight` calls outstanding. Each batch is built just before its send
 * so the timestamps it carries are produce times, not the time the bench started.
 */
import type { OutgoingRecord, ProducerPort } from '@notify/kafka';

export interface SendPlan {
  total: number;
  batchSize: number;
  inFlight: number;
  /** Records per second, or null for as fast as possible. */
  rate: number | null;
  /** Builds the records [from, to) with `now` as their produce time. */
  build(from: number, to: number, now: number): OutgoingRecord[];
}

export interface SendTimes {
  /** When the first batch was built. */
  firstSendAt: number;
  /** When the last batch was acknowledged. */
  lastAckAt: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendAll(producer: ProducerPort, plan: SendPlan): Promise<SendTimes> {
  const firstSendAt = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < plan.total) {
      const from = next;
      const to = Math.min(plan.total, from + plan.batchSize);
      next = to;
      if (plan.rate !== null) {
        // Pace by schedule, not by sleeping a fixed gap, so send time does not slow the rate down.
        const due = firstSendAt + (from * 1000) / plan.rate;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      await producer.send(plan.build(from, to, Date.now()));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, plan.inFlight) }, lane));
  return { firstSendAt, lastAckAt: Date.now() };
}
