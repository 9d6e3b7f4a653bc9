// Templates as data (issue 16): the tenant's templates, an editor with the API's live preview beside
// it, versions saved, activated and rolled back, delete, and a test send to the caller. The preview
// is rendered by the API through the channel's own rendering, never in the browser.
import { ApiError } from './api.js';
import { $, el } from './dom.js';
import { createFieldEditor } from './template-field-editor.js';
import { CHANNELS } from './template-fields.js';
import { renderDefaults, renderTenantTemplates } from './template-list.js';
import { createLivePreview } from './template-live-preview.js';
import { problemsOf, showErrorList } from './template-preview.js';
import { renderVersions } from './template-versions.js';

const DETAIL_DELAY_MS = 300;
const EVENT_TYPE = /^[A-Z][A-Z0-9_]*$/;
const PAYLOAD_LABEL = 'Sample payload (JSON)';

export function createTemplatesPage(api) {
  let defaults = [];
  let detail = null; // the API's versions of the template in the editor; null while the tenant has none
  let loadedVersion = null; // the saved version the editor holds unchanged; null once edited
  let detailTimer;

  const key = () => ({ template_id: $('#tpl-id').value.trim(), channel: $('#tpl-channel').value, locale: $('#tpl-locale').value.trim() });
  const path = (k = key()) =>
    `/v1/templates/${encodeURIComponent(k.template_id)}/${encodeURIComponent(k.channel)}/${encodeURIComponent(k.locale)}`;
  const naming = (k = key()) => `${k.template_id} ${k.channel} ${k.locale}`;
  const complete = (k = key()) => k.template_id !== '' && k.locale !== '';
  const status = (text, isError = false) => {
    const s = $('#template-status');
    s.textContent = text;
    s.className = isError ? 'error' : 'status';
  };
  const showErrors = (errors) => {
    editor.showErrors(errors);
    showErrorList(errors, $('#tpl-channel').value);
  };
  // Actions started from a click report their failure in the status line rather than nowhere.
  const attempt = (promise) => void promise.catch((error) => status(error.message, true));

  const updateButtons = () => {
    $('#tpl-editing').textContent = !complete()
      ? ''
      : loadedVersion === null
        ? 'unsaved changes'
        : `version ${loadedVersion}${detail?.active_version === loadedVersion ? ' (active)' : ''}`;
    $('#tpl-activate').disabled = loadedVersion === null || detail?.active_version === loadedVersion;
    $('#tpl-delete').disabled = detail === null;
    $('#tpl-save').disabled = !complete();
    $('#tpl-test').disabled = !complete();
  };

  /** What the preview and the test send render: the editor's fields as they are now, with the sample. */
  const renderRequest = () => {
    const body = { ...key(), fields: editor.values() };
    // Optional inputs are left out when empty: the API then uses the template id, the caller, the sample.
    for (const [name, input] of [
      ['type', '#tpl-type'],
      ['user_id', '#tpl-user'],
      ['event_id', '#tpl-event'],
    ]) {
      const value = $(input).value.trim();
      if (value) body[name] = value;
    }
    const text = $('#tpl-payload').value.trim();
    if (text) {
      try {
        body.payload = JSON.parse(text);
      } catch (error) {
        throw Object.assign(new Error(error.message), { field: PAYLOAD_LABEL });
      }
    }
    return body;
  };

  const edited = () => {
    loadedVersion = null;
    updateButtons();
    schedulePreview();
  };
  const editor = createFieldEditor($('#template-fields'), edited);
  const live = createLivePreview({ api, request: () => (complete() ? renderRequest() : null), showErrors });
  const schedulePreview = () => live.schedule();

  const loadList = async () => {
    const { templates } = await api.get('/v1/templates');
    renderTenantTemplates(templates, (t) => attempt(openTemplate(t)));
  };

  const openVersion = (v) => {
    editor.load(key().channel, v.fields);
    loadedVersion = v.version;
    updateButtons();
    schedulePreview();
    status(`Version ${v.version} in the editor`);
  };

  const loadDetail = async () => {
    const k = key();
    if (!complete(k)) detail = null;
    else {
      try {
        const found = await api.get(path(k));
        if (path(k) !== path()) return; // the editor moved on to another template meanwhile
        detail = found;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        detail = null;
      }
    }
    renderVersions(detail, { onOpen: openVersion, onActivate: (v) => attempt(activate(v.version, v)) });
    updateButtons();
  };

  const setKey = (t) => {
    $('#tpl-id').value = t.template_id;
    $('#tpl-channel').value = t.channel;
    channelChanged();
    $('#tpl-locale').value = t.locale;
    // A template named after an event type previews as that type; another id leaves the type to the user.
    $('#tpl-type').value = EVENT_TYPE.test(t.template_id) ? t.template_id : '';
  };

  const openTemplate = async (t) => {
    setKey(t);
    await loadDetail();
    const versions = detail?.versions ?? [];
    const shown = versions.find((v) => v.active) ?? versions.reduce((a, b) => (b.version > a.version ? b : a), versions[0]);
    if (shown) openVersion(shown);
  };

  const startFrom = async (d) => {
    setKey(d);
    editor.load(d.channel, d.fields);
    loadedVersion = null;
    schedulePreview();
    status(`Started from the shipped ${naming(d)}: save it to make it this tenant's`);
    await loadDetail();
  };

  const save = async () => {
    try {
      const saved = await api.post(`${path()}/versions`, { fields: editor.values() });
      loadedVersion = saved.version;
      // The status comes last, once the list and versions show the change it announces.
      await Promise.all([loadDetail(), loadList()]);
      status(`Saved version ${saved.version}${saved.active ? ' (active)' : ''}`);
    } catch (error) {
      showErrors(problemsOf(error));
      status(`Template not saved: ${error.message}`, true);
    }
  };

  /** Activates a saved version; one picked from the version list also comes into the editor. */
  const activate = async (version, picked) => {
    try {
      await api.post(`${path()}/versions/${version}/activate`);
      await Promise.all([loadDetail(), loadList()]);
      if (picked) openVersion(picked);
      status(`Version ${version} is active`);
    } catch (error) {
      status(`Version ${version} not activated: ${error.message}`, true);
    }
  };

  const remove = async () => {
    const k = key();
    if (!confirm(`Delete every version of ${naming(k)}? Messages fall back to the shipped template.`)) return;
    try {
      await api.delete(path(k));
      loadedVersion = null;
      await Promise.all([loadDetail(), loadList()]);
      status(`Deleted ${naming(k)}`);
    } catch (error) {
      status(`Not deleted: ${error.message}`, true);
    }
  };

  const testSend = async () => {
    try {
      const body = renderRequest();
      // The caller is the recipient of a test send, whoever the preview was for.
      delete body.user_id;
      // The worker renders stored versions only: a saved one goes by number, unsaved text is the API's to refuse.
      if (loadedVersion !== null) {
        delete body.fields;
        body.version = loadedVersion;
      }
      if (body.channel === 'all') body.send_channel = $('#tpl-send-channel').value;
      const sent = await api.post('/v1/templates/test-send', body);
      status(
        `Test${sent.version ? ` of version ${sent.version}` : ''} sent to you on ${sent.channel} (notification ${sent.notification_id})`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) showErrors(problemsOf(error));
      status(`Test not sent: ${error.message}`, true);
    }
  };

  $('#tpl-channel').replaceChildren(...CHANNELS.map((c) => el('option', { value: c }, c)));
  $('#tpl-channel').value = 'email';
  editor.load('email', {});
  $('#tpl-send-channel').replaceChildren(...CHANNELS.filter((c) => c !== 'all').map((c) => el('option', { value: c }, c)));
  $('#tpl-send-channel').value = 'inapp';
  const channelChanged = () => {
    $('#tpl-send-channel-label').hidden = $('#tpl-channel').value !== 'all';
  };
  $('#tpl-channel').addEventListener('change', () => {
    editor.setChannel($('#tpl-channel').value);
    channelChanged();
    edited();
    attempt(loadDetail());
  });
  for (const input of [$('#tpl-id'), $('#tpl-locale')]) {
    input.addEventListener('input', () => {
      edited();
      clearTimeout(detailTimer);
      detailTimer = setTimeout(() => attempt(loadDetail()), DETAIL_DELAY_MS);
    });
  }
  for (const input of ['#tpl-type', '#tpl-user', '#tpl-event', '#tpl-payload']) $(input).addEventListener('input', schedulePreview);
  $('#template-editor').addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(save());
  });
  $('#tpl-activate').addEventListener('click', () => attempt(activate(loadedVersion)));
  $('#tpl-delete').addEventListener('click', () => attempt(remove()));
  $('#tpl-test').addEventListener('click', () => attempt(testSend()));
  $('#template-defaults-filter').addEventListener('input', (e) => renderDefaults(defaults, e.target.value, (d) => attempt(startFrom(d))));
  updateButtons();

  return {
    async show() {
      const [, shipped] = await Promise.all([loadList(), api.get('/v1/templates/defaults')]);
      defaults = shipped.templates;
      renderDefaults(defaults, $('#template-defaults-filter').value, (d) => attempt(startFrom(d)));
    },
  };
}
