// Preferences (GET/PUT /v1/prefs: the whole document) and phone verification (/v1/contacts...).
import { $, el } from './dom.js';

const CHANNELS = ['inapp', 'email', 'sms', 'push', 'webhook', 'slack', 'teams', 'discord', 'voice', 'pagerduty'];
const COMMON_TYPES = ['ORDER_FILLED', 'MARGIN_CALL', 'SECURITY_ALERT'];

export function createPrefsPage(api) {
  let doc = null;
  const status = (text, isError = false) => {
    const s = $('#prefs-status');
    s.textContent = text;
    s.className = isError ? 'error' : 'status';
  };
  const phoneStatus = (text, isError = false) => {
    const s = $('#phone-status');
    s.textContent = text;
    s.className = isError ? 'error' : 'status';
  };

  const renderChannels = () =>
    $('#prefs-channels').replaceChildren(
      ...CHANNELS.map((c) =>
        el(
          'label',
          {},
          el('input', { type: 'checkbox', name: `channel-${c}`, 'data-channel': c, checked: doc.channels[c] !== false }),
          ` ${c}`,
        ),
      ),
    );

  const renderTypes = () => {
    const types = [...new Set([...COMMON_TYPES, ...Object.keys(doc.types)])];
    $('#prefs-types').replaceChildren(
      el('thead', {}, el('tr', {}, el('th', {}, 'type'), ...CHANNELS.map((c) => el('th', {}, c)))),
      el(
        'tbody',
        {},
        ...types.map((t) =>
          el(
            'tr',
            {},
            el('td', {}, t),
            ...CHANNELS.map((c) =>
              el(
                'td',
                {},
                el('input', {
                  type: 'checkbox',
                  'data-type': t,
                  'data-channel': c,
                  'aria-label': `${t} by ${c}`,
                  checked: doc.types[t]?.[c] !== false,
                }),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const renderQuiet = () => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
    const q = doc.quiet_hours;
    const tz = q?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    $('#quiet-tz').replaceChildren(...zones.map((z) => el('option', { value: z, selected: z === tz }, z)));
    $('#quiet-enabled').checked = q !== null;
    if (q) {
      $('#quiet-start').value = q.start;
      $('#quiet-end').value = q.end;
    }
    $('#prefs-severity').value = doc.severity_filter;
  };

  const collect = () => {
    const channels = {};
    for (const box of document.querySelectorAll('#prefs-channels input')) if (!box.checked) channels[box.dataset.channel] = false;
    const types = {};
    for (const box of document.querySelectorAll('#prefs-types input')) {
      if (box.checked) continue;
      (types[box.dataset.type] ??= {})[box.dataset.channel] = false;
    }
    return {
      channels,
      types,
      severity_filter: $('#prefs-severity').value,
      frequency_limits: doc.frequency_limits,
      quiet_hours: $('#quiet-enabled').checked
        ? { start: $('#quiet-start').value, end: $('#quiet-end').value, timezone: $('#quiet-tz').value }
        : null,
    };
  };

  const renderPhone = (contacts) => {
    $('#phone-input').value = contacts.phone ?? '';
    const state = $('#phone-state');
    state.textContent = contacts.phone ? (contacts.phone_verified ? 'verified' : 'not verified') : 'no number';
    state.className = contacts.phone_verified ? 'pill ok' : 'pill';
  };

  const guard = (fn, report) => async () => {
    try {
      await fn();
    } catch (e) {
      report(e.message, true);
    }
  };

  $('#prefs-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void guard(async () => {
      doc = await api.put('/v1/prefs', collect());
      status(`Saved ${new Date().toLocaleTimeString()}`);
    }, status)();
  });
  $('#prefs-add-type').addEventListener('click', () => {
    const t = $('#prefs-new-type').value.trim().toUpperCase();
    if (!t) return;
    doc = { ...doc, ...collect() };
    doc.types[t] ??= {};
    renderTypes();
    $('#prefs-new-type').value = '';
  });
  $('#phone-save').addEventListener(
    'click',
    guard(async () => {
      renderPhone(await api.put('/v1/contacts/phone', { phone: $('#phone-input').value }));
      phoneStatus('Number saved; verify it to receive SMS.');
    }, phoneStatus),
  );
  $('#phone-start').addEventListener(
    'click',
    guard(async () => {
      const r = await api.post('/v1/contacts/phone/verification/start');
      phoneStatus(`Code sent; it expires at ${new Date(r.expires_at).toLocaleTimeString()}.`);
    }, phoneStatus),
  );
  $('#phone-confirm').addEventListener(
    'click',
    guard(async () => {
      renderPhone(await api.post('/v1/contacts/phone/verification/confirm', { code: $('#phone-code').value }));
      phoneStatus('Phone verified.');
    }, phoneStatus),
  );

  return {
    async show() {
      const [prefs, contacts] = await Promise.all([api.get('/v1/prefs'), api.get('/v1/contacts')]);
      doc = prefs;
      renderChannels();
      renderTypes();
      renderQuiet();
      renderPhone(contacts);
    },
  };
}
