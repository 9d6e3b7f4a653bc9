// The preview pane shows what the API rendered, which is exactly what the channel would send; the
// error list shows why it could not render, field by field with line and column.
import { ApiError } from './api.js';
import { $, el } from './dom.js';
import { fieldLabel } from './template-fields.js';

export function showPreview(result, channel) {
  $('#preview-title-label').textContent = channel === 'email' ? 'Subject' : 'Title';
  $('#preview-title').textContent = result.title ?? '';
  $('#preview-body').textContent = result.body ?? '';
  const frame = $('#preview-html');
  const html = typeof result.html === 'string' ? result.html : '';
  // Folded to no height rather than hidden: Chromium keeps a sandboxed frame that loaded while
  // display:none at zero size after it is shown, so it would stay blank.
  frame.classList.toggle('folded', html === '');
  $('#preview-html-label').hidden = html === '';
  // sandbox="" in the page: the HTML part runs no script and reaches nothing, whatever it holds.
  // Setting srcdoc reloads the frame even to the same text, so only a changed part is set.
  if (frame.srcdoc !== html) frame.srcdoc = html;
  // A chat template's own layout (Slack blocks, a Discord embed, a Teams card), as the channel will send it.
  const layout = result.layout === undefined ? '' : JSON.stringify(result.layout, null, 2);
  $('#preview-layout').textContent = layout;
  $('#preview-layout').hidden = layout === '';
  $('#preview-layout-label').hidden = layout === '';
  const n = result.segments?.count;
  $('#preview-segments').textContent = result.segments ? `${n} ${n === 1 ? 'segment' : 'segments'} (${result.segments.encoding})` : '';
  $('#preview-locale').textContent = result.locale_used ? `Rendered with locale ${result.locale_used}` : '';
}

export function clearPreview() {
  showPreview({}, null);
}

/** errors: [{ field, line?, column?, message }]; field is a template field or another input (payload). */
export function showErrorList(errors, channel) {
  $('#template-errors').replaceChildren(
    ...errors.map((e) =>
      el('li', {}, `${fieldLabel(channel, e.field)}: `, e.line ? `line ${e.line}, column ${e.column}: ` : '', e.message),
    ),
  );
}

/** The problems of a refused template (422), or the failure itself as one problem. */
export function problemsOf(error) {
  const listed = error instanceof ApiError ? error.body?.errors : undefined;
  return Array.isArray(listed) && listed.length > 0 ? listed : [{ field: 'template', message: error.message }];
}
