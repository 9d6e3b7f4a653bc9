// The inbox list with acknowledge, and the bell's unread count, through the browser inbox client.
import { $, el, timeAgo } from './dom.js';

export function createInbox(client) {
  const items = new Map();
  let nextCursor = null;

  const setCount = (n) => {
    const badge = $('#unread-count');
    badge.textContent = String(n);
    badge.dataset.count = String(n);
  };
  client.onUnreadCount(setCount);

  const render = () => {
    const unreadOnly = $('#unread-only').checked;
    const list = $('#inbox-list');
    const rows = [...items.values()].sort((a, b) => b.seq - a.seq).filter((i) => !unreadOnly || !i.read_at);
    list.replaceChildren(...(rows.length ? rows.map(row) : [el('li', { class: 'empty' }, '', 'Nothing here yet.')]));
    $('#inbox-more').hidden = nextCursor === null;
  };

  const row = (item) =>
    el(
      'li',
      { class: item.read_at ? 'read' : 'unread', dataset: { id: item.id, seq: item.seq, severity: item.severity } },
      el('span', { class: 'sev' }),
      el(
        'div',
        {},
        el('div', { class: 'title' }, item.title),
        el('div', {}, item.body),
        el('div', { class: 'meta' }, `${item.type} · ${item.severity} · ${timeAgo(item.created_at)}`),
      ),
      item.acknowledged_at
        ? el('span', { class: 'acked' }, 'Acknowledged')
        : el('button', { type: 'button', class: 'ack', onclick: () => acknowledge(item.id) }, 'Acknowledge'),
    );

  // The client reads the unread count again after the change and reports it through onUnreadCount.
  const acknowledge = async (id) => {
    const updated = await client.acknowledge(id);
    items.set(updated.id, updated);
    render();
  };

  const loadPage = async () => {
    const page = await client.list({ cursor: nextCursor, limit: 20 });
    for (const item of page.items) items.set(item.id, item);
    nextCursor = page.nextCursor;
    render();
  };

  $('#unread-only').addEventListener('change', render);
  $('#inbox-more').addEventListener('click', () => void loadPage());

  return {
    /** Loads the first page and the count; returns the newest seq, the live connection's cursor. */
    async start() {
      await Promise.all([loadPage(), client.unreadCount()]);
      return Math.max(0, ...[...items.values()].map((i) => i.seq));
    },
    /** A live item: shown at the top unless it was archived meanwhile; true when it is new here. */
    add(item) {
      if (item.archived_at || items.has(item.id)) return false;
      items.set(item.id, item);
      render();
      return true;
    },
  };
}
