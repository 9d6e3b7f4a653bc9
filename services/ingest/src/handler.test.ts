import { InvalidInputError } from '@notify/errors';
import type { Event } from '@notify/schemas';
import type { InputRecord } from '@notify/runner';
import type { DedupeClaim, DedupeVerdict } from './dedupe-claims';
import { createIngestHandler } from './handler';

const AT = 1_700_000_001_000;

function record(overrides: Partial<Event> = {}): InputRecord<Event> {
  const value: Event = {
    event_id: 'evt-1',
    type: 'ORDER_FILLED',
    producer: 'trading',
    tenant: 'acme',
    occurred_at: 1_700_000_000_000,
    severity: 'medium',
    payload: '{"user_id":"u1"}',
    dedupe_key: 'order-1',
    recipients: null,
    audience: null,
    labels: {},
    ...overrides,
  };
  return {
    topic: 'notifications.events',
    partition: 0,
    offset: '7',
    key: value.dedupe_key ?? value.event_id,
    value,
    headers: {},
    timestamp: AT,
  };
}

/** Answers every claim with `verdict` and remembers what was claimed. */
function claims(verdict: DedupeVerdict) {
  const made: Array<{ claim: DedupeClaim; at: number }> = [];
  return {
    made,
    claim: async (claim: DedupeClaim, at: number) => {
      made.push({ claim, at });
      return verdict;
    },
  };
}

const ctx = {} as never;

describe('ingest handler', () => {
  it('claims the dedupe key per tenant and accepts the event when the claim is granted', async () => {
    const dedupe = claims({ duplicate: false });
    const outputs = await createIngestHandler({ dedupe, now: () => AT }).handle(record(), ctx);
    expect(dedupe.made).toEqual([{ claim: { tenant: 'acme', key: 'order-1', eventId: 'evt-1' }, at: AT }]);
    expect(outputs.map((o) => o.topic)).toEqual(['notifications.accepted', 'notifications.delivery-status']);
    expect(outputs[1]?.value).toMatchObject({ status: 'accepted', event_id: 'evt-1' });
  });

  it('suppresses a duplicate with one terminal status naming the holder, and nothing on accepted', async () => {
    const outputs = await createIngestHandler({ dedupe: claims({ duplicate: true, holder: 'evt-0' }), now: () => AT }).handle(
      record(),
      ctx,
    );
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ topic: 'notifications.delivery-status', key: 'evt-1' });
    expect(outputs[0]?.value).toMatchObject({
      status: 'suppressed',
      reason: 'duplicate',
      terminal: true,
      detail: 'dedupe_key order-1 already used by event evt-0',
    });
  });

  it('says "another event" when the holder is unknown', async () => {
    const outputs = await createIngestHandler({ dedupe: claims({ duplicate: true, holder: null }), now: () => AT }).handle(record(), ctx);
    expect(outputs[0]?.value).toMatchObject({ detail: 'dedupe_key order-1 already used by another event' });
  });

  it('claims nothing for an event without a dedupe key', async () => {
    const dedupe = claims({ duplicate: true, holder: 'never' });
    const outputs = await createIngestHandler({ dedupe, now: () => AT }).handle(record({ dedupe_key: null }), ctx);
    expect(dedupe.made).toEqual([]);
    expect(outputs.map((o) => o.topic)).toEqual(['notifications.accepted', 'notifications.delivery-status']);
  });

  it('rejects an invalid event before claiming its key', async () => {
    const dedupe = claims({ duplicate: false });
    await expect(createIngestHandler({ dedupe, now: () => AT }).handle(record({ type: 'BAD TYPE' }), ctx)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(dedupe.made).toEqual([]);
  });
});
