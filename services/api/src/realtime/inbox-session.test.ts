import type { InboxItemView } from '../inbox/inbox-view';
import { InboxSession } from './inbox-session';

const item = (seq: number): InboxItemView => ({
  id: `n${seq}`,
  seq,
  type: 'T',
  severity: 'info',
  title: 't',
  body: 'b',
  data: {},
  created_at: new Date(0).toISOString(),
  read_at: null,
  acknowledged_at: null,
  archived_at: null,
});

function pagedLoader(rows: InboxItemView[], pageSize: number) {
  const calls: string[] = [];
  const load = async (after: string) => {
    calls.push(after);
    return rows.filter((r) => r.seq > Number(after)).slice(0, pageSize);
  };
  return { load, calls };
}

describe('InboxSession', () => {
  it('sends live items straight away when not catching up', () => {
    const sent: number[] = [];
    const session = new InboxSession((i) => sent.push(i.seq));
    session.deliver(item(1));
    session.deliver(item(2));
    expect(sent).toEqual([1, 2]);
  });

  it('sends every stored row after the cursor, page by page, oldest first', async () => {
    const sent: number[] = [];
    const session = new InboxSession((i) => sent.push(i.seq));
    const { load, calls } = pagedLoader([1, 2, 3, 4, 5].map(item), 2);
    await session.catchUp('1', load);
    expect(sent).toEqual([2, 3, 4, 5]);
    expect(calls).toEqual(['1', '3', '5']);
  });

  it('holds live items during a catch-up and sends each seq once', async () => {
    const sent: number[] = [];
    const session = new InboxSession((i) => sent.push(i.seq));
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const load = async (after: string) => {
      await gate;
      return after === '0' ? [item(1), item(2), item(3)] : [];
    };
    const done = session.catchUp('0', load);
    session.deliver(item(3)); // stored and broadcast while the query ran: also in the catch-up
    session.deliver(item(4));
    expect(sent).toEqual([]);
    release();
    await done;
    session.deliver(item(4)); // a redelivered broadcast
    session.deliver(item(5));
    expect(sent).toEqual([1, 2, 3, 4, 5]);
  });

  it('still sends the queued live items when the catch-up fails', async () => {
    const sent: number[] = [];
    const session = new InboxSession((i) => sent.push(i.seq));
    const done = session.catchUp('0', async () => {
      throw new Error('db down');
    });
    session.deliver(item(7));
    await expect(done).rejects.toThrow('db down');
    expect(sent).toEqual([7]);
  });
});
