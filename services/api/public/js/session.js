// The caller's token: from ?token= (development links) or the sign-in form, kept for this tab only.
const KEY = 'notify.token';

export function takeTokenFromUrl() {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token) {
    sessionStorage.setItem(KEY, token);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

export function currentToken() {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

/** The claims the console needs to shape itself; the API verifies the token on every call. */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload));
    return {
      userId: String(claims.sub),
      tenant: String(claims.tenant),
      // platform: the installation's administrator, an operator of every tenant (audited by the API).
      role: claims.role === 'operator' || claims.role === 'platform' ? claims.role : 'user',
      exp: Number(claims.exp),
    };
  } catch {
    return null;
  }
}
