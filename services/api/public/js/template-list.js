// The tenant's templates and, greyed beneath them, the shipped defaults one can start from.
import { $, el, timeAgo } from './dom.js';

const keyOf = (t) => `${t.template_id}|${t.channel}|${t.locale}`;
const naming = (t) => `${t.template_id} ${t.channel} ${t.locale}`;

export function renderTenantTemplates(templates, onEdit) {
  $('#templates-table tbody').replaceChildren(
    ...(templates.length
      ? templates.map((t) =>
          el(
            'tr',
            { dataset: { key: keyOf(t) } },
            el('td', {}, t.template_id),
            el('td', {}, t.channel),
            el('td', {}, t.locale),
            el('td', { class: 'active' }, t.active_version === null ? 'none' : `v${t.active_version}`),
            el('td', { class: 'latest' }, `v${t.latest_version}`),
            el('td', {}, timeAgo(t.updated_at)),
            el(
              'td',
              {},
              el('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${naming(t)}`, onclick: () => onEdit(t) }, 'Edit'),
            ),
          ),
        )
      : [el('tr', {}, el('td', { colspan: 7 }, 'No templates of this tenant yet: start from a shipped one below.'))]),
  );
}

export function renderDefaults(defaults, filter, onStart) {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = defaults.filter((d) => words.every((w) => naming(d).toLowerCase().includes(w)));
  $('#template-defaults tbody').replaceChildren(
    ...shown.map((d) =>
      el(
        'tr',
        { class: 'default', dataset: { key: keyOf(d) } },
        el('td', {}, d.template_id),
        el('td', {}, d.channel),
        el('td', {}, d.locale),
        el(
          'td',
          {},
          el(
            'button',
            { type: 'button', class: 'secondary', 'aria-label': `Start from ${naming(d)}`, onclick: () => onStart(d) },
            'Start from',
          ),
        ),
      ),
    ),
  );
}
