// The inbox list with acknowledge, and the bell's unread count kept in step with it.
import { $, el, timeAgo } from './dom.js';

export function createInbox(api) {
  const items = new Map();
  let nextCursor = null;

  const setCount = (n) => {
    const badge = $('#unread-count');
    badge.textContent = String(n);
    badge.dataset.count = String(n);
  };
  const refreshCount = async () => setCount((await api.get('/v1/notifications/unread-count')).unread);

  const render = () => {
    const unreadOnly = $('#unread-only').checked;
    const list = $('#inbox-list');
    const rows = [...items.values()].sort((a, b) => b.seq - a.seq).filter((i) => !unreadOnly || !i.read_at);
    list.replaceChildren(...(rows.length ? rows.map(row) : [el('li', { class: 'empty' }, '', 'Nothing here yet.')]));
    $('#inbox-more').hidden = nextCursor === null;
  };

  const row = (item) => el('li', { class: item.read_at ? 'read' : 'unread', dataset: { id: item.id, seq: item.seq, severity: item.severity } },
    el('span', { class: 'sev' }),
    el('div', {}, el('div', { class: 'title' }, item.title), el('div', {}, item.body), el('div', { class: 'meta' }, `${item.type} · ${item.severity} · ${timeAgo(item.created_at)}`)),
    item.acknowledged_at
      ? el('span', { class: 'acked' }, 'Acknowledged')
      : el('button', { type: 'button', class: 'ack', onclick: () => acknowledge(item.id) }, 'Acknowledge'));

  const acknowledge = async (id) => {
    const updated = await api.post(`/v1/notifications/${encodeURIComponent(id)}/ack`);
    items.set(updated.id, updated);
    render();
    await refreshCount();
  };

  const loadPage = async () => {
    const q = new URLSearchParams({ limit: '20' });
    if (nextCursor) q.set('cursor', nextCursor);
    const page = await api.get(`/v1/notifications?${q}`);
    for (const item of page.items) items.set(item.id, item);
    nextCursor = page.next_cursor;
    render();
  };

  $('#unread-only').addEventListener('change', render);
  $('#inbox-more').addEventListener('click', () => void loadPage());

  return {
    /** Loads the first page and the count; returns the newest seq, the live connection's cursor. */
    async start() {
      await Promise.all([loadPage(), refreshCount()]);
      return Math.max(0, ...[...items.values()].map((i) => i.seq));
    },
    /** A pushed item: shown at the top; counted when it is new and unread. */
    add(item) {
      const known = items.has(item.id);
      items.set(item.id, item);
      render();
      if (!known && !item.read_at) setCount(Number($('#unread-count').dataset.count) + 1);
      return !known;
    },
    refreshCount,
  };
}
