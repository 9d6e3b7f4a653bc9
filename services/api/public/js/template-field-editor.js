// The editor's text areas: one per field of the template's channel, each with its own error line.
import { el } from './dom.js';
import { canonicalFields, fieldsFor } from './template-fields.js';

export function createFieldEditor(container, onInput) {
  let channel = 'email';

  const areas = () => [...container.querySelectorAll('textarea[data-field]')];

  const values = () => {
    const fields = {};
    // An empty field is left out rather than saved as an empty template.
    for (const area of areas()) if (area.value !== '') fields[area.dataset.field] = area.value;
    return fields;
  };

  const render = (fields) => {
    container.replaceChildren(
      ...fieldsFor(channel, fields).map(([name, label, own]) => {
        const id = `tpl-field-${name}`;
        const area = el('textarea', {
          id,
          rows: name === 'html' || name === 'layout' ? 8 : 3,
          spellcheck: 'false',
          'data-field': name,
          'aria-describedby': `tpl-err-${name}`,
        });
        area.value = fields[name] ?? '';
        area.addEventListener('input', onInput);
        return el(
          'div',
          { class: 'field' },
          el('label', { for: id }, label),
          own ? null : el('span', { class: 'hint' }, ' not a field of this channel; kept with the template'),
          area,
          el('p', { class: 'field-error error', id: `tpl-err-${name}`, 'data-field': name }),
        );
      }),
    );
  };

  return {
    load(newChannel, fields) {
      channel = newChannel;
      render(canonicalFields(channel, fields));
    },
    /** A channel change keeps what was typed: fields the new channel lacks stay as extra fields. */
    setChannel(newChannel) {
      const kept = values();
      channel = newChannel;
      render(kept);
    },
    values,
    /** Marks each field's own errors beside it; errors of fields not shown are the caller's to list. */
    showErrors(errors) {
      for (const area of areas()) {
        const mine = errors.filter((e) => e.field === area.dataset.field);
        const line = container.querySelector(`.field-error[data-field="${area.dataset.field}"]`);
        line.textContent = mine.map((e) => `${e.line ? `line ${e.line}, column ${e.column}: ` : ''}${e.message}`).join('\n');
        if (mine.length) area.setAttribute('aria-invalid', 'true');
        else area.removeAttribute('aria-invalid');
      }
    },
  };
}
