/** Where each tenant's webhooks go and which secrets sign them (several during rotation). */
import { secretKey } from './signature';
import { createHash } from 'node:crypto';

export interface Endpoint {
  url: string;
  secrets: string[];
}

export type EndpointBook = Map<string, Endpoint>;

/** Parses `{"tenant": {"url": "...", "secrets": ["whsec_..."]}}`, failing fast on anything malformed. */
export function parseEndpoints(json: string): EndpointBook {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('WEBHOOK_ENDPOINTS must be a JSON object keyed by tenant');
  const book: EndpointBook = new Map();
  for (const [tenant, value] of Object.entries(parsed as Record<string, unknown>)) {
    const v = value as { url?: unknown; secrets?: unknown };
    if (typeof v?.url !== 'string') throw new Error(`WEBHOOK_ENDPOINTS.${tenant}.url must be a string`);
    new URL(v.url);
    if (!Array.isArray(v.secrets) || v.secrets.length === 0 || !v.secrets.every((s) => typeof s === 'string')) {
      throw new Error(`WEBHOOK_ENDPOINTS.${tenant}.secrets must be a non-empty array of whsec_ secrets`);
    }
    (v.secrets as string[]).forEach(secretKey);
    book.set(tenant, { url: v.url, secrets: v.secrets as string[] });
  }
  return book;
}

/** The endpoint of a tenant's own webhooks: its entry, else the `default` one; undefined when neither is configured. */
export function tenantEndpoint(book: EndpointBook, tenant: string): Endpoint | undefined {
  return book.get(tenant) ?? book.get('default');
}

/**
 * How health records name an endpoint: a digest of its URL, so a URL changed in WEBHOOK_ENDPOINTS
 * starts afresh and neither the database nor the API shows the address (which may carry a token).
 */
export function endpointId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}
