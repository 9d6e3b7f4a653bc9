import { $, el } from './dom.js';

/** A toast for a new notification; it leaves by itself, sooner for less severe ones. */
export function showToast(item) {
  const toast = el(
    'div',
    { class: 'toast', role: 'status', dataset: { severity: item.severity, id: item.id } },
    el('strong', {}, item.title),
    el('span', {}, item.body),
  );
  $('#toasts').append(toast);
  setTimeout(() => toast.remove(), item.severity === 'critical' ? 15_000 : 6_000);
}
