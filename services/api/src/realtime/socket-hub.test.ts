import type { InboxItemView } from '../inbox/inbox-view';
import { InboxSession } from './inbox-session';
import { SocketHub } from './socket-hub';

const item = {
  id: 'n1',
  seq: 1,
  type: 'T',
  severity: 'info',
  title: 't',
  body: 'b',
  data: {},
  created_at: '',
  read_at: null,
  acknowledged_at: null,
  archived_at: null,
} as InboxItemView;

describe('SocketHub', () => {
  it('delivers to every session of the user and to nobody else', () => {
    const hub = new SocketHub();
    const got: string[] = [];
    hub.add('acme', 'u1', new InboxSession(() => got.push('a')));
    hub.add('acme', 'u1', new InboxSession(() => got.push('b')));
    hub.add('acme', 'u2', new InboxSession(() => got.push('other user')));
    hub.add('globex', 'u1', new InboxSession(() => got.push('other tenant')));
    expect(hub.publish('acme', 'u1', item)).toBe(2);
    expect(got.sort()).toEqual(['a', 'b']);
  });

  it('stops delivering to a removed session', () => {
    const hub = new SocketHub();
    const got: string[] = [];
    const remove = hub.add('acme', 'u1', new InboxSession(() => got.push('a')));
    remove();
    expect(hub.publish('acme', 'u1', item)).toBe(0);
    expect(hub.size).toBe(0);
    expect(got).toEqual([]);
  });
});
