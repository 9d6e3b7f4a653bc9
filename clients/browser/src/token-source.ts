/**
 * The caller's token: a fixed one, or one fetched from the app (`getToken`) whenever the client needs a
 * fresh one: before it expires, and after the API refused the current one.
 */
export type GetToken = () => string | Promise<string>;

export class AuthError extends Error {
  override readonly name = 'AuthError';
}

/** Seconds since the epoch from the token's `iat` and `exp` claims, where present and readable. */
export function tokenTimes(token: string): { iat?: number; exp?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as { iat?: unknown; exp?: unknown };
    return {
      ...(typeof claims.iat === 'number' ? { iat: claims.iat } : {}),
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return {};
  }
}

/** Never ask the app for tokens more often than this, even for one that is already expired. */
export const MIN_REFRESH_DELAY_MS = 1000;

/**
 * Milliseconds until a token should be replaced: a quarter of its lifetime before it expires, at most a
 * minute before; null for a token without an expiry.
 */
export function refreshDelay(token: string, nowMs: number): number | null {
  const { iat, exp } = tokenTimes(token);
  if (exp === undefined) return null;
  const lifetimeMs = (exp - (iat ?? nowMs / 1000)) * 1000;
  const leadMs = Math.min(60_000, Math.max(0, lifetimeMs / 4));
  return Math.max(MIN_REFRESH_DELAY_MS, exp * 1000 - leadMs - nowMs);
}

export class TokenSource {
  private token: string | null;
  private pending: Promise<string> | null = null;

  constructor(
    token: string | undefined,
    private readonly getToken: GetToken | undefined,
  ) {
    if (!token && !getToken) throw new TypeError('InboxClient needs a token or a getToken function');
    this.token = token ?? null;
  }

  /** Whether a refused token can be replaced by asking the app. */
  get refreshable(): boolean {
    return this.getToken !== undefined;
  }

  /** The token to use now (asks the app for the first one when only getToken was given). */
  async current(): Promise<string> {
    return this.token ?? this.fresh();
  }

  /** A new token from the app; concurrent callers share one call. */
  fresh(): Promise<string> {
    const getToken = this.getToken;
    if (!getToken) return Promise.reject(new AuthError('the API refused the token and no getToken function was given'));
    this.pending ??= (async () => {
      try {
        const token = await getToken();
        if (typeof token !== 'string' || token === '') throw new AuthError('getToken returned no token');
        this.token = token;
        return token;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }
}
