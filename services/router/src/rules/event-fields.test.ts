import { EventView, parseFieldPath, readEventField } from './event-fields';
import { testEvent } from './test-event';

describe('parseFieldPath', () => {
  it('knows top-level fields, labels and payload paths', () => {
    expect(parseFieldPath('severity')).toEqual({ kind: 'event', name: 'severity' });
    expect(parseFieldPath('labels.account_id')).toEqual({ kind: 'label', name: 'account_id' });
    expect(parseFieldPath('labels.app.kubernetes.io/name')).toEqual({ kind: 'label', name: 'app.kubernetes.io/name' });
    expect(parseFieldPath('payload.order.legs.0.symbol')).toEqual({ kind: 'payload', segments: ['order', 'legs', '0', 'symbol'] });
  });

  it.each(['', 'sevrity', 'labels.', 'payload', 'payload.', 'payload.a..b', 'payload_x'])('rejects %j', (path) => {
    expect(parseFieldPath(path)).toBeUndefined();
  });
});

describe('EventView.read', () => {
  const event = testEvent({
    labels: { account_id: 'acc-9' },
    audience: 'TIER_1_SFO',
    payloadObject: { account: { id: 'acc-9', margin: { ratio: 0.04 } }, legs: [{ symbol: 'AAPL' }, { symbol: 'MSFT' }], flag: false },
  });
  const read = (path: string): unknown => {
    const parsed = parseFieldPath(path);
    if (!parsed) throw new Error(`bad path ${path}`);
    return new EventView(event).read(parsed);
  };

  it('follows dot paths into the payload, indexing lists by number', () => {
    expect(read('payload.account.margin.ratio')).toBe(0.04);
    expect(read('payload.legs.1.symbol')).toBe('MSFT');
    expect(read('payload.flag')).toBe(false);
  });

  it('gives undefined for anything absent', () => {
    expect(read('payload.account.missing.deeper')).toBeUndefined();
    expect(read('payload.legs.5.symbol')).toBeUndefined();
    expect(read('payload.legs.first')).toBeUndefined();
    expect(read('payload.account.id.length')).toBeUndefined();
    expect(read('labels.nope')).toBeUndefined();
    expect(read('payload.constructor')).toBeUndefined();
  });

  it('reads labels and top-level fields', () => {
    expect(read('labels.account_id')).toBe('acc-9');
    expect(read('audience')).toBe('TIER_1_SFO');
    expect(read('dedupe_key')).toBeNull();
    expect(read('recipients')).toEqual(['u1']);
  });

  it('treats an unparseable payload as empty instead of failing the event', () => {
    const view = new EventView(testEvent({ payload: 'not json' }));
    expect(view.read({ kind: 'payload', segments: ['a'] })).toBeUndefined();
  });

  it('parses the payload once however often it is read', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const view = new EventView(event);
      view.read({ kind: 'payload', segments: ['flag'] });
      view.read({ kind: 'payload', segments: ['legs'] });
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('readEventField resolves a group_by path from an event', () => {
    expect(readEventField(event, 'payload.legs.0.symbol')).toBe('AAPL');
    expect(readEventField(event, 'not a field')).toBeUndefined();
  });
});
