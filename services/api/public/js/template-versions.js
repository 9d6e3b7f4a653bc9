// A template's versions, newest first: open one in the editor, activate a newer one or roll back to
// an older one. Activating is the only way to change what the channel workers send.
import { $, el, timeAgo } from './dom.js';

/** detail: the API's answer for one template, or null when the tenant has none. */
export function renderVersions(detail, { onOpen, onActivate }) {
  const versions = [...(detail?.versions ?? [])].sort((a, b) => b.version - a.version);
  const active = detail?.active_version ?? null;
  $('#template-versions tbody').replaceChildren(
    ...versions.map((v) =>
      el(
        'tr',
        { dataset: { version: v.version, active: v.active } },
        el('td', {}, `v${v.version}`),
        el('td', {}, timeAgo(v.created_at)),
        el('td', {}, v.created_by),
        el('td', {}, v.active ? 'active' : ''),
        el(
          'td',
          {},
          el('button', { type: 'button', class: 'secondary', 'aria-label': `Open version ${v.version}`, onclick: () => onOpen(v) }, 'Open'),
          ' ',
          v.active
            ? null
            : el(
                'button',
                { type: 'button', onclick: () => onActivate(v) },
                active !== null && v.version < active ? 'Roll back to this version' : 'Activate this version',
              ),
        ),
      ),
    ),
  );
}
