import type { Digest, DigestItem } from '@notify/schemas';
import { digestText, selectDigestMembers } from './digest-listing';

function item(type: string, n: number): DigestItem {
  return { notification_id: `ntf_${type}_${n}`, event_id: `evt_${type}_${n}`, type, severity: 'warning', payload: '{}', occurred_at: n };
}

const ids = (items: DigestItem[]) => items.map((i) => i.notification_id);

describe('selectDigestMembers', () => {
  const five: Digest = {
    total: 5,
    counts: { TRADE_EXECUTED: 2, STOP_LOSS_TRIGGERED: 3 },
    items: [
      item('TRADE_EXECUTED', 1),
      item('STOP_LOSS_TRIGGERED', 2),
      item('STOP_LOSS_TRIGGERED', 3),
      item('TRADE_EXECUTED', 4),
      item('STOP_LOSS_TRIGGERED', 5),
    ],
  };

  it('lists every member of a small digest, grouped by type, most frequent first, in digest order', () => {
    const selection = selectDigestMembers(five, 10);
    expect(selection.more).toBe(0);
    expect(selection.groups.map((g) => [g.type, g.count, ids(g.items)])).toEqual([
      ['STOP_LOSS_TRIGGERED', 3, ['ntf_STOP_LOSS_TRIGGERED_2', 'ntf_STOP_LOSS_TRIGGERED_3', 'ntf_STOP_LOSS_TRIGGERED_5']],
      ['TRADE_EXECUTED', 2, ['ntf_TRADE_EXECUTED_1', 'ntf_TRADE_EXECUTED_4']],
    ]);
  });

  it('stops at the limit and counts the rest, keeping every group with its full count', () => {
    const selection = selectDigestMembers(five, 4);
    expect(selection.groups.map((g) => [g.type, g.count, g.items.length])).toEqual([
      ['STOP_LOSS_TRIGGERED', 3, 3],
      ['TRADE_EXECUTED', 2, 1],
    ]);
    expect(selection.more).toBe(1);
    expect(selectDigestMembers(five, 0)).toEqual({
      groups: [expect.objectContaining({ items: [] }), expect.objectContaining({ items: [] })],
      more: 5,
    });
  });

  it('counts members the aggregator did not put in items as more, with their type among the groups', () => {
    const big: Digest = {
      total: 40,
      counts: { PRICE_ALERT: 30, ORDER_FILLED: 10 },
      items: [item('PRICE_ALERT', 1), item('PRICE_ALERT', 2), item('ORDER_FILLED', 3)],
    };
    const selection = selectDigestMembers(big, 10);
    expect(selection.groups.map((g) => [g.type, g.count, g.items.length])).toEqual([
      ['PRICE_ALERT', 30, 2],
      ['ORDER_FILLED', 10, 1],
    ]);
    expect(selection.more).toBe(37);
  });

  it('never reports fewer members than it lists, whatever the counts say', () => {
    const inconsistent: Digest = { total: 1, counts: {}, items: [item('A', 1), item('A', 2)] };
    expect(selectDigestMembers(inconsistent, 10)).toEqual({ groups: [{ type: 'A', count: 2, items: inconsistent.items }], more: 0 });
  });
});

describe('digestText', () => {
  it('puts each heading above its member lines and the more line last', () => {
    expect(
      digestText({
        summary: 'ignored here',
        groups: [
          { type: 'A', count: 3, heading: 'A: 3', lines: ['one', 'two'] },
          { type: 'B', count: 1, heading: 'B: 1', lines: [] },
        ],
        more: 'and 2 more',
      }),
    ).toBe('A: 3\n- one\n- two\nB: 1\nand 2 more');
  });
});
