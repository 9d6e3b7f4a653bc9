/**
 * The shared Worker in-process against real Kafka and the real registry: outputs before offsets,
 * dead letters for undecodable and wrong-schema input, permanent versus retryable handler failures,
 * and a graceful stop that hands the group over without losing a record.
 */
import { randomUUID } from 'node:crypto';
import { PermanentError, RetryableError } from '@notify/errors';
import { createMetrics, type Handler, type InputRecord, type Output } from '@notify/runner';
import { deliveryStatus, type AcceptedEvent, type DeadLetter, type DeliveryStatus } from '@notify/schemas';
import { waitFor } from '../support/wait';
import {
  acceptedEvent,
  capturingLogger,
  committedOffsets,
  encodedInput,
  FAST_SETTINGS,
  INPUT,
  newWorker,
  openRig,
  readFromNow,
  startGroupAtEnd,
  type LiveReader,
  type Rig,
} from './harness';

jest.setTimeout(60_000);

const RUN = `wt${randomUUID().slice(0, 8)}`;
const TENANT = RUN;

/** The output every test handler writes for an input it handles: one status keyed by event id. */
function statusFor(record: InputRecord<AcceptedEvent>, stage: string, detail = `offset ${record.offset}`): Output {
  const e = record.value;
  return {
    topic: 'notifications.delivery-status',
    key: e.event_id,
    value: deliveryStatus({
      notification_id: e.event_id,
      event_id: e.event_id,
      tenant: e.tenant,
      status: 'routed',
      stage,
      occurred_at: e.occurred_at,
      detail,
    }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Worker against real Kafka', () => {
  let rig: Rig;
  let statuses: LiveReader<DeliveryStatus>;
  let deadLetters: LiveReader<DeadLetter>;

  beforeAll(async () => {
    rig = await openRig(`worker-test-${RUN}`);
    statuses = await readFromNow(rig.admin, rig.codec, 'notifications.delivery-status');
    deadLetters = await readFromNow(rig.admin, rig.codec, 'notifications.dlq');
  });

  afterAll(async () => {
    await statuses?.close();
    await deadLetters?.close();
    await rig?.close();
  });

  const outputsOf = (stage: string, eventId: string) =>
    statuses.records.filter((r) => r.value.stage === stage && r.value.event_id === eventId);
  const deadLettersOf = (stage: string) => deadLetters.records.map((r) => r.value).filter((d) => d.stage === stage);

  /** A fresh group positioned at the end of the input, so it sees only what the test produces next. */
  async function freshGroup(): Promise<string> {
    const group = `test-worker-${randomUUID()}`;
    await startGroupAtEnd(rig.admin, group, [INPUT]);
    return group;
  }

  it('produces one output per record and neither produces nor commits any of a chunk before all of it is handled', async () => {
    const stage = `${RUN}-commit`;
    const prefix = `${RUN}-a-`;
    const ids = Array.from({ length: 5 }, (_, i) => `${prefix}${i}`);
    const heldId = ids[ids.length - 1] as string;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedHeld = () => {};
    const heldReached = new Promise<void>((resolve) => {
      reachedHeld = resolve;
    });
    const seen = new Map<string, number>();

    const handler: Handler<typeof INPUT> = {
      async handle(record) {
        const id = record.value.event_id;
        if (!id.startsWith(prefix)) return [];
        seen.set(id, Number(record.offset));
        if (id === heldId) {
          reachedHeld();
          await gate;
        }
        return [statusFor(record, stage)];
      },
    };
    const group = await freshGroup();
    const worker = newWorker(rig, group, stage, handler);
    try {
      await worker.start();
      await waitFor('worker to join its group', () => (worker.isReady() ? true : undefined), 20_000);
      await rig.producer.send(ids.map((id) => encodedInput(rig, acceptedEvent(id, TENANT), 0)));
      await heldReached;

      // The handler is stuck on the last record: nothing about it may be committed or produced. Wait
      // longer than the 500 ms auto-commit interval so anything resolved would have been committed.
      await sleep(1_500);
      const heldOffset = seen.get(heldId) as number;
      const committedWhileHeld = (await committedOffsets(rig.admin, group, INPUT)).get(0) ?? -1;
      expect(committedWhileHeld).toBeLessThanOrEqual(heldOffset);
      // Whatever was committed already has its output on the topic...
      const committedIds = ids.filter((id) => (seen.get(id) ?? Infinity) < committedWhileHeld);
      await waitFor(
        'outputs of committed records',
        () => (committedIds.every((id) => outputsOf(stage, id).length > 0) ? true : undefined),
        10_000,
      );
      // ...and the held record has neither an output nor a commit.
      expect(outputsOf(stage, heldId)).toEqual([]);

      release();
      const lastOffset = Math.max(...seen.values());
      await waitFor(
        'offsets committed past the last record',
        async () => {
          const committed = (await committedOffsets(rig.admin, group, INPUT)).get(0) ?? -1;
          return committed >= lastOffset + 1 ? committed : undefined;
        },
        15_000,
      );
      // Acknowledged before the commit, so readable now (give the reader a moment to fetch).
      await waitFor('every output', () => (ids.every((id) => outputsOf(stage, id).length > 0) ? true : undefined), 10_000);
      for (const id of ids) {
        expect(outputsOf(stage, id)).toHaveLength(1);
        expect(outputsOf(stage, id)[0]?.value.detail).toBe(`offset ${seen.get(id)}`);
      }
    } finally {
      release();
      await worker.stop();
    }
  });

  it('never commits a record whose outputs Kafka refused, and leaves it for the next worker in the group', async () => {
    const stage = `${RUN}-refused`;
    const prefix = `${RUN}-r-`;
    const huge = `${prefix}huge`;
    // Larger than the broker's message.max.bytes (1 MiB by default): every produce of it is refused.
    const oversized = 'x'.repeat(1_200_000);
    const seen = new Map<string, number>();
    const refusing: Handler<typeof INPUT> = {
      handle(record) {
        if (!record.value.event_id.startsWith(prefix)) return [];
        seen.set(record.value.event_id, Number(record.offset));
        return [statusFor(record, stage, oversized)];
      },
    };
    const { log, messages } = capturingLogger();
    const group = await freshGroup();
    const first = newWorker(rig, group, stage, refusing, { log });
    const second = newWorker(rig, group, stage, {
      handle: (record) => (record.value.event_id.startsWith(prefix) ? [statusFor(record, stage)] : []),
    });
    try {
      await first.start();
      await waitFor('worker to join its group', () => (first.isReady() ? true : undefined), 20_000);
      await rig.producer.send([encodedInput(rig, acceptedEvent(huge, TENANT), 0)]);
      await waitFor(
        'repeated produce failures',
        () => (messages.filter((m) => m === 'produce failed').length >= 3 ? true : undefined),
        20_000,
      );

      const offset = seen.get(huge) as number;
      expect((await committedOffsets(rig.admin, group, INPUT)).get(0)).toBeLessThanOrEqual(offset);
      await first.stop();
      // Stopping gives the record up without committing it.
      expect((await committedOffsets(rig.admin, group, INPUT)).get(0)).toBeLessThanOrEqual(offset);
      expect(outputsOf(stage, huge)).toEqual([]);

      await second.start();
      await waitFor('the next worker to handle the record', () => (outputsOf(stage, huge).length > 0 ? true : undefined), 20_000);
      await waitFor(
        'the record committed at last',
        async () => (((await committedOffsets(rig.admin, group, INPUT)).get(0) ?? -1) > offset ? true : undefined),
        10_000,
      );
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('dead-letters an undecodable record and one of the wrong schema, then handles the next good record', async () => {
    const stage = `${RUN}-decode`;
    const prefix = `${RUN}-b-`;
    const handled: string[] = [];
    const handler: Handler<typeof INPUT> = {
      handle(record) {
        if (!record.value.event_id.startsWith(prefix)) return [];
        handled.push(record.value.event_id);
        return [statusFor(record, stage)];
      },
    };
    const group = await freshGroup();
    const worker = newWorker(rig, group, stage, handler);
    try {
      await worker.start();
      await waitFor('worker to join its group', () => (worker.isReady() ? true : undefined), 20_000);
      const junk = Buffer.from('{"this is":"json, not avro"}');
      const wrongSchema = rig.codec.encode('notifications.acks', {
        tenant: TENANT,
        user_id: 'u',
        notification_id: 'n',
        event_id: null,
        action: 'read',
        at: Date.now(),
      });
      const good = `${prefix}good`;
      await rig.producer.send([
        { topic: INPUT, key: `${prefix}junk`, value: junk, partition: 0 },
        { topic: INPUT, key: `${prefix}wrong`, value: wrongSchema, partition: 0 },
        encodedInput(rig, acceptedEvent(good, TENANT), 0),
      ]);

      await waitFor('the good record handled', () => (outputsOf(stage, good).length > 0 ? true : undefined), 20_000);
      expect(handled).toEqual([good]);
      const letters = await waitFor(
        'two dead letters',
        () => (deadLettersOf(stage).length >= 2 ? deadLettersOf(stage) : undefined),
        10_000,
      );
      expect(letters).toHaveLength(2);

      const undecodable = letters.find((d) => d.original_key === `${prefix}junk`);
      expect(undecodable).toMatchObject({
        code: 'undecodable',
        original_topic: INPUT,
        original_partition: 0,
        attempts: 1,
        notification_id: null,
      });
      expect(undecodable?.original?.equals(junk)).toBe(true);

      const wrong = letters.find((d) => d.original_key === `${prefix}wrong`);
      expect(wrong).toMatchObject({ code: 'wrong_schema', original_topic: INPUT, original_partition: 0, attempts: 1 });
      expect(wrong?.reason).toMatch(/Ack.*expected notifications\.v1\.AcceptedEvent/);
      expect(wrong?.original?.equals(wrongSchema)).toBe(true);
      // The dead letters point at the inputs they came from, in order before the good record.
      expect(Number(undecodable?.original_offset)).toBeLessThan(Number(wrong?.original_offset));
    } finally {
      await worker.stop();
    }
  });

  it('hands tombstones to handleTombstone in offset order among the records, and dead-letters them for a handler without it', async () => {
    const stage = `${RUN}-tombstone`;
    const prefix = `${RUN}-t-`;
    const seen: string[] = [];
    const handler: Handler<typeof INPUT> = {
      handle(record) {
        if (!record.value.event_id.startsWith(prefix)) return [];
        seen.push(record.value.event_id);
        return [statusFor(record, stage)];
      },
      handleTombstone(record) {
        if (!record.key?.startsWith(prefix)) return [];
        seen.push(`tombstone ${record.key}`);
        const id = record.key;
        return [
          {
            topic: 'notifications.delivery-status',
            key: id,
            value: deliveryStatus({
              notification_id: id,
              event_id: id,
              tenant: TENANT,
              status: 'routed',
              stage,
              occurred_at: record.timestamp,
              detail: 'tombstone',
            }),
          },
        ];
      },
    };
    const plainStage = `${RUN}-tombstone-plain`;
    const plain: Handler<typeof INPUT> = {
      handle: (record) => (record.value.event_id.startsWith(prefix) ? [statusFor(record, plainStage)] : []),
    };
    const group = await freshGroup();
    const plainGroup = await freshGroup();
    const worker = newWorker(rig, group, stage, handler);
    const plainWorker = newWorker(rig, plainGroup, plainStage, plain);
    try {
      await worker.start();
      await plainWorker.start();
      await waitFor('workers to join their groups', () => (worker.isReady() && plainWorker.isReady() ? true : undefined), 20_000);
      await rig.producer.send([
        encodedInput(rig, acceptedEvent(`${prefix}before`, TENANT), 0),
        { topic: INPUT, key: `${prefix}gone`, value: null, partition: 0 },
        encodedInput(rig, acceptedEvent(`${prefix}after`, TENANT), 0),
      ]);

      await waitFor(
        'the record after the tombstone handled',
        () => (outputsOf(stage, `${prefix}after`).length > 0 ? true : undefined),
        20_000,
      );
      expect(seen).toEqual([`${prefix}before`, `tombstone ${prefix}gone`, `${prefix}after`]);
      expect(outputsOf(stage, `${prefix}gone`).map((r) => r.value.detail)).toEqual(['tombstone']);

      const [letter] = await waitFor(
        "the plain worker's dead letter",
        () => (deadLettersOf(plainStage).length > 0 ? deadLettersOf(plainStage) : undefined),
        20_000,
      );
      expect(letter).toMatchObject({ code: 'undecodable', original_key: `${prefix}gone`, original: null });
      expect(deadLettersOf(stage)).toEqual([]);
    } finally {
      await worker.stop();
      await plainWorker.stop();
    }
  });

  it('dead-letters a permanent handler failure, and retries a transient one until it succeeds with one output', async () => {
    const stage = `${RUN}-errors`;
    const prefix = `${RUN}-c-`;
    const permanent = `${prefix}permanent`;
    const flaky = `${prefix}flaky`;
    const after = `${prefix}after`;
    const attempts = new Map<string, number>();
    const handler: Handler<typeof INPUT> = {
      handle(record) {
        const id = record.value.event_id;
        if (!id.startsWith(prefix)) return [];
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (id === permanent) throw new PermanentError('test_permanent', 'this record can never be handled');
        if (id === flaky && attempt <= 2) throw new RetryableError('test_transient', `try again (attempt ${attempt})`);
        return [statusFor(record, stage)];
      },
    };
    const metrics = createMetrics(stage);
    const group = await freshGroup();
    const worker = newWorker(rig, group, stage, handler, { metrics });
    try {
      await worker.start();
      await waitFor('worker to join its group', () => (worker.isReady() ? true : undefined), 20_000);
      await rig.producer.send([permanent, flaky, after].map((id) => encodedInput(rig, acceptedEvent(id, TENANT), 0)));

      await waitFor('the record after the failures handled', () => (outputsOf(stage, after).length > 0 ? true : undefined), 20_000);
      const [letter] = await waitFor('a dead letter', () => (deadLettersOf(stage).length > 0 ? deadLettersOf(stage) : undefined), 10_000);
      expect(letter).toMatchObject({
        code: 'test_permanent',
        reason: 'this record can never be handled',
        original_key: permanent,
        original_topic: INPUT,
        attempts: 1,
      });
      expect(attempts.get(permanent)).toBe(1);
      expect(outputsOf(stage, permanent)).toEqual([]);

      expect(attempts.get(flaky)).toBe(3);
      await sleep(500);
      expect(outputsOf(stage, flaky)).toHaveLength(1);
      expect(deadLettersOf(stage).filter((d) => d.original_key === flaky)).toEqual([]);

      const failures = await metrics.failures.get();
      const count = (code: string, outcome: string) =>
        failures.values.find((v) => v.labels.code === code && v.labels.outcome === outcome)?.value;
      expect(count('test_transient', 'retried')).toBe(2);
      expect(count('test_permanent', 'dead_lettered')).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('stops mid-chunk, leaves the group, and a new worker in the group carries on without losing a record', async () => {
    const stage = `${RUN}-handover`;
    const prefix = `${RUN}-d-`;
    const ids = Array.from({ length: 12 }, (_, i) => `${prefix}${i}`);
    const handledBy = { first: new Set<string>(), second: new Set<string>() };
    let inFlight = 0;
    const offsets = new Map<string, { partition: number; offset: number }>();
    const slowHandler = (into: Set<string>): Handler<typeof INPUT> => ({
      async handle(record) {
        const id = record.value.event_id;
        if (!id.startsWith(prefix)) return [];
        offsets.set(id, { partition: record.partition, offset: Number(record.offset) });
        inFlight++;
        try {
          await sleep(150);
        } finally {
          inFlight--;
        }
        into.add(id);
        return [statusFor(record, stage)];
      },
    });
    const settings = { ...FAST_SETTINGS, chunkSize: 3 };
    const group = await freshGroup();
    const first = newWorker(rig, group, stage, slowHandler(handledBy.first), { settings });
    const second = newWorker(rig, group, stage, slowHandler(handledBy.second), { settings });
    try {
      await first.start();
      await waitFor('first worker to join', () => (first.isReady() ? true : undefined), 20_000);
      // Keys spread the records over the partitions; each partition is worked in chunks of 3.
      await rig.producer.send(ids.map((id) => encodedInput(rig, acceptedEvent(id, TENANT))));
      await waitFor('the first worker to be mid-work', () => (handledBy.first.size >= 2 && inFlight > 0 ? true : undefined), 20_000);

      await first.stop();
      // stop() returned only after the handler calls in hand finished (the chunk was finished, not cut).
      expect(inFlight).toBe(0);
      expect(first.isReady()).toBe(false);
      const afterStop = await rig.admin.describeGroups([group]);
      expect(afterStop.groups[0]?.members).toEqual([]);
      expect(handledBy.first.size).toBeLessThan(ids.length);

      await second.start();
      await waitFor(
        'every record handled by one worker or the other',
        () => (ids.every((id) => handledBy.first.has(id) || handledBy.second.has(id)) ? true : undefined),
        30_000,
      );
      await waitFor('an output for every record', () => (ids.every((id) => outputsOf(stage, id).length > 0) ? true : undefined), 10_000);
      // The second worker picked up from the commits of the first rather than from the start.
      expect(handledBy.second.size).toBeLessThan(ids.length);

      const lastPerPartition = new Map<number, number>();
      for (const { partition, offset } of offsets.values())
        lastPerPartition.set(partition, Math.max(offset, lastPerPartition.get(partition) ?? -1));
      await waitFor(
        'the group committed past every record',
        async () => {
          const committed = await committedOffsets(rig.admin, group, INPUT);
          return [...lastPerPartition].every(([p, last]) => (committed.get(p) ?? -1) > last) ? true : undefined;
        },
        15_000,
      );
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
