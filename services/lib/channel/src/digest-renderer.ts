/**
 * Renders the listing of a digest dispatch for one channel: a heading per type from the digest
 * template's `group` text, a line per listed member from its own type's `item` template (looked up
 * like any template, for the member's type, the channel and the recipient's locale), and the digest
 * template's `more` text. Members without an `item` template, or whose payload is not JSON, get the
 * built-in line: their type and when it happened.
 */
import type { Dispatch, DigestItem } from '@notify/schemas';
import { humanise } from './humanise';
import { renderTemplate, type CompiledTemplate } from './interpolate';
import type { FormatContext } from './intl-filters';
import { selectDigestMembers, type RenderedDigest } from './digest-listing';
import { formattingLocale } from './locale';
import type { MessageTemplate, TemplateBook } from './templates';

/** Texts used when the templates have none: English, as the last fallback of every locale chain. */
export interface DigestFallbacks {
  item: CompiledTemplate;
  group: CompiledTemplate;
  more: CompiledTemplate;
}

export interface DigestRenderInput {
  book: TemplateBook;
  channel: string;
  dispatch: Dispatch;
  /** The digest dispatch's own template (its `group` and `more` texts). */
  template: MessageTemplate;
  /** Locale, zone and clock of the digest message. */
  format: FormatContext;
  summary: string;
  limit: number;
  fallbacks: DigestFallbacks;
}

function parsePayload(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function memberLine(input: DigestRenderInput, item: DigestItem): string {
  const d = input.dispatch;
  const payload = parsePayload(item.payload);
  const found = payload.ok ? input.book.find({ type: item.type }, input.channel, d.locale, 'item') : undefined;
  const context = {
    payload: payload.ok ? payload.value : null, type: item.type, type_title: humanise(item.type), severity: item.severity, severity_label: item.severity,
    occurred_at: item.occurred_at, notification_id: item.notification_id, event_id: item.event_id, tenant: d.tenant, user_id: d.user_id, locale: d.locale,
  };
  const format = { ...input.format, locale: formattingLocale(d.locale, found?.locale) };
  return renderTemplate(found?.template.item ?? input.fallbacks.item, context, { format });
}

export function renderDigest(input: DigestRenderInput): RenderedDigest | undefined {
  const digest = input.dispatch.digest;
  if (!digest) return undefined;
  const selection = selectDigestMembers(digest, input.limit);
  const group = input.template.group ?? input.fallbacks.group;
  const more = input.template.more ?? input.fallbacks.more;
  return {
    summary: input.summary,
    groups: selection.groups.map((g) => ({
      type: g.type,
      count: g.count,
      heading: renderTemplate(group, { type: g.type, type_title: humanise(g.type), count: g.count }, { format: input.format }),
      lines: g.items.map((item) => memberLine(input, item)),
    })),
    more: selection.more > 0 ? renderTemplate(more, { count: selection.more }, { format: input.format }) : null,
  };
}
