/**
 * Renders a dispatch with the template book for one channel: title, text body, HTML body (values
 * HTML-escaped) and the unsubscribe link, in the dispatch's locale, with values formatted for that
 * locale and the recipient's time zone (UTC when the dispatch has none). The template is the one
 * the rule chose (`dispatch.template`), else the event type's, else the default. A digest's body is
 * followed by the listing of its members (see digest-renderer.ts), also returned in parts.
 */
import type { Dispatch } from '@notify/schemas';
import { digestText } from './digest-listing';
import { renderDigest, type DigestFallbacks } from './digest-renderer';
import { humanise } from './humanise';
import { compileTemplate, escapeHtml, renderTemplate, type CompiledTemplate } from './interpolate';
import type { FormatContext } from './intl-filters';
import { formattingLocale } from './locale';
import type { RenderedMessage } from './provider';
import type { MessageTemplate, TemplateBook } from './templates';

export { humanise };

/** Digest members listed one per line when a channel does not say otherwise; the rest are counted. */
export const DEFAULT_DIGEST_LINES = 10;

export interface TemplateRendererOptions {
  /** The recipient's one-click unsubscribe link for this channel, when the channel has one (email). */
  unsubscribeUrl?: (dispatch: Dispatch) => string;
  /** Most digest members listed one per line (DEFAULT_DIGEST_LINES); the others are counted in the `more` line. */
  digestLines?: number;
  /** The clock `relative` counts from. */
  now?: () => number;
}

/** Built-in texts for a message no template matches and for digest parts the templates leave out. */
function fallbackTexts(): { message: MessageTemplate; digest: DigestFallbacks } {
  return {
    message: { title: compileTemplate('{{type_title}}'), body: compileTemplate('{{type_title}} ({{severity}})') },
    digest: {
      item: compileTemplate('{{type_title}}, {{occurred_at | datetime}}'),
      group: compileTemplate('{{type_title}}: {{count}}'),
      more: compileTemplate('and {{count}} more'),
    },
  };
}

export function createTemplateRenderer(book: TemplateBook, channel: string, options: TemplateRendererOptions = {}): (dispatch: Dispatch) => RenderedMessage {
  const now = options.now ?? Date.now;
  const limit = options.digestLines ?? DEFAULT_DIGEST_LINES;
  const fallback = fallbackTexts();
  return (d) => {
    const payload: unknown = JSON.parse(d.payload);
    const unsubscribeUrl = options.unsubscribeUrl?.(d);
    const context = {
      payload, type: d.type, type_title: humanise(d.type), severity: d.severity, severity_label: d.severity_label, tenant: d.tenant,
      user_id: d.user_id, notification_id: d.notification_id, event_id: d.event_id, occurred_at: d.occurred_at, locale: d.locale,
      unsubscribe_url: unsubscribeUrl ?? '',
    };
    const found = book.find({ template: d.template, type: d.type }, channel, d.locale);
    const template = found?.template ?? fallback.message;
    const format: FormatContext = { locale: formattingLocale(d.locale, found?.locale), timeZone: d.time_zone ?? 'UTC', now: now() };
    const fill = (t: CompiledTemplate, encode?: (value: string) => string) => renderTemplate(t, context, { format, ...(encode ? { encode } : {}) });
    const summary = fill(template.body);
    const digest = renderDigest({ book, channel, dispatch: d, template, format, summary, limit, fallbacks: fallback.digest });
    return {
      title: fill(template.title),
      body: digest ? [summary, digestText(digest)].filter(Boolean).join('\n\n') : summary,
      ...(template.html !== undefined ? { html: fill(template.html, escapeHtml) } : {}),
      ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      ...(digest ? { digest } : {}),
      data: { notification_id: d.notification_id, event_id: d.event_id, type: d.type, severity: d.severity, severity_label: d.severity_label, locale: found?.locale ?? d.locale, payload },
    };
  };
}
