/**
 * What a digest dispatch gives its templates. Its own template sees `digest.count` (members held),
 * `digest.counts` (`{type, type_title, count}` per type, biggest first, as seed 004's alert summary)
 * and `digest.members` (`{type, type_title, severity, occurred_at, payload, notification_id}`, the
 * members the aggregator listed), so it can `{% for m in digest.members %}` on its own.
 *
 * Channels also get the listing rendered in parts: a heading per type from the digest template's
 * `group` text, a line per listed member from its own type's `item` template (looked up like any
 * template, for the tenant, the member's type, the channel and the recipient's locale), and the
 * digest template's `more` text. Members without an `item` template, or whose payload is not JSON,
 * get the built-in line: their type and when it happened.
 */
import type { Digest, Dispatch, DigestItem } from '@notify/schemas';
import { humanise } from './humanise';
import { renderTemplate, type CompiledTemplate } from './interpolate';
import type { FormatContext } from './intl-filters';
import { selectDigestMembers, type RenderedDigest } from './digest-listing';
import { formattingLocale } from './locale';
import type { MessageTemplate, TemplateSource } from './templates';

/** Texts used when the templates have none: English, as the last fallback of every locale chain. */
export interface DigestFallbacks {
  item: CompiledTemplate;
  group: CompiledTemplate;
  more: CompiledTemplate;
}

export interface DigestRenderInput {
  source: TemplateSource;
  channel: string;
  dispatch: Dispatch;
  /** The digest dispatch's own template (its `group` and `more` texts). */
  template: MessageTemplate;
  /** Locale, zone and clock of the digest message. */
  format: FormatContext;
  summary: string;
  limit: number;
  fallbacks: DigestFallbacks;
  strictVariables?: boolean;
}

export interface DigestMemberContext {
  type: string;
  type_title: string;
  severity: string;
  occurred_at: number;
  /** The member's payload, or null when it is not JSON. */
  payload: unknown;
  notification_id: string;
}

export interface DigestContext {
  count: number;
  counts: Array<{ type: string; type_title: string; count: number }>;
  members: DigestMemberContext[];
}

function parsePayload(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The `digest` variable of a digest's own template. */
export function digestContext(digest: Digest): DigestContext {
  const selection = selectDigestMembers(digest, digest.items.length);
  return {
    count: Math.max(digest.total, digest.items.length),
    counts: selection.groups.map((g) => ({ type: g.type, type_title: humanise(g.type), count: g.count })),
    members: digest.items.map((item) => {
      const payload = parsePayload(item.payload);
      return {
        type: item.type,
        type_title: humanise(item.type),
        severity: item.severity,
        occurred_at: item.occurred_at,
        payload: payload.ok ? payload.value : null,
        notification_id: item.notification_id,
      };
    }),
  };
}

function memberLine(input: DigestRenderInput, item: DigestItem): string {
  const d = input.dispatch;
  const payload = parsePayload(item.payload);
  const found = payload.ok ? input.source.find({ tenant: d.tenant, type: item.type }, input.channel, d.locale, 'item') : undefined;
  const context = {
    payload: payload.ok ? payload.value : null,
    type: item.type,
    type_title: humanise(item.type),
    severity: item.severity,
    severity_label: item.severity,
    occurred_at: item.occurred_at,
    notification_id: item.notification_id,
    event_id: item.event_id,
    tenant: d.tenant,
    user_id: d.user_id,
    locale: d.locale,
  };
  const format = { ...input.format, locale: formattingLocale(d.locale, found?.locale) };
  return renderTemplate(found?.template.item ?? input.fallbacks.item, context, { format, strictVariables: input.strictVariables ?? false });
}

export function renderDigest(input: DigestRenderInput): RenderedDigest | undefined {
  const digest = input.dispatch.digest;
  if (!digest) return undefined;
  const selection = selectDigestMembers(digest, input.limit);
  const group = input.template.group ?? input.fallbacks.group;
  const more = input.template.more ?? input.fallbacks.more;
  const options = { format: input.format, strictVariables: input.strictVariables ?? false };
  return {
    summary: input.summary,
    groups: selection.groups.map((g) => ({
      type: g.type,
      count: g.count,
      heading: renderTemplate(group, { type: g.type, type_title: humanise(g.type), count: g.count }, options),
      lines: g.items.map((item) => memberLine(input, item)),
    })),
    more: selection.more > 0 ? renderTemplate(more, { count: selection.more }, options) : null,
  };
}
