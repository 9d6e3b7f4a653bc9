// Calls the API with the caller's token; errors carry the API's JSON error code and message, and the
// whole answer (a template's 422 lists its errors beside the message).
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function createApi(token, onUnauthorized) {
  async function call(method, path, body) {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) {
      if (res.status === 401) onUnauthorized();
      const error = json?.error;
      const message = typeof error === 'string' ? error : (error?.message ?? `HTTP ${res.status}`);
      throw new ApiError(res.status, error?.code ?? 'http_error', message, json);
    }
    return json;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
  };
}
