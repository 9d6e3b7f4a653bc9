// Entry point: sign-in, navigation between pages, the bell and the live connection.
import { InboxClient } from '../inbox-client/inbox-client.js';
import { createApi } from './api.js';
import { $ } from './dom.js';
import { createInbox } from './inbox-page.js';
import { createOperatorPage } from './operator-page.js';
import { createPrefsPage } from './prefs-page.js';
import { createTemplatesPage } from './templates-page.js';
import { claimsOf, currentToken, forgetToken, saveToken, takeTokenFromUrl } from './session.js';
import { showToast } from './toasts.js';

// The client's connection states as the header shows them.
const LIVE_STATE = { connecting: 'connecting', open: 'live', closed: 'offline', auth_failed: 'offline' };

function showLogin(message = '') {
  $('#login').hidden = false;
  $('#pages').hidden = true;
  $('#login-error').textContent = message;
}

async function start() {
  takeTokenFromUrl();
  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveToken($('#token-input').value);
    location.reload();
  });
  const token = currentToken();
  const claims = token ? claimsOf(token) : null;
  if (!token || !claims) return showLogin(token ? 'That token could not be read.' : '');
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    forgetToken();
    return showLogin('Your token has expired.');
  }

  const api = createApi(token, () => {
    forgetToken();
    showLogin('The API refused the token.');
  });
  $('#login').hidden = true;
  $('#pages').hidden = false;
  // The API decides what each role may do; the console only shows the pages a role can use.
  const operator = claims.role === 'operator' || claims.role === 'platform';
  $('#who').textContent = `${claims.userId} @ ${claims.tenant}${claims.role === 'user' ? '' : ` (${claims.role})`}`;
  for (const a of document.querySelectorAll('[data-operator-only]')) a.hidden = !operator;

  const client = new InboxClient({ baseUrl: location.origin, token });
  const inbox = createInbox(client);
  const pages = {
    inbox: { show: async () => {} },
    prefs: createPrefsPage(api),
    operator: operator ? createOperatorPage(api) : null,
    templates: operator ? createTemplatesPage(api) : null,
  };
  const navigate = async () => {
    const name = location.hash.slice(1) || 'inbox';
    const page = pages[name] ? name : 'inbox';
    for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== `page-${page}`;
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === page);
    try {
      await pages[page].show();
      document.body.dataset.ready = page;
    } catch (error) {
      document.body.dataset.error = error.message;
    }
  };
  window.addEventListener('hashchange', () => void navigate());
  $('#bell').addEventListener('click', () => {
    location.hash = '#inbox';
  });

  const signedOut = (message) => {
    client.disconnect();
    forgetToken();
    showLogin(message);
  };
  let newest;
  try {
    newest = await inbox.start();
  } catch (error) {
    if (error.name === 'AuthError') return signedOut('The API refused the token.');
    throw error;
  }
  client.onStatus((status) => {
    const live = $('#live');
    live.dataset.state = LIVE_STATE[status];
    live.textContent = LIVE_STATE[status];
    if (status === 'auth_failed') signedOut('Your session has ended: the token expired. Sign in again.');
  });
  client.onNotification((item) => {
    if (inbox.add(item) && !item.read_at) showToast(item);
  });
  // Failures show through onStatus; the client keeps reconnecting by itself.
  client.connect({ after: newest }).catch(() => undefined);
  await navigate();
}

void start();
