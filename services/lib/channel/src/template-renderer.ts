/**
 * Renders a dispatch with a template source for one channel: title, text body, HTML body (values
 * HTML-escaped) and the unsubscribe link, in the dispatch's locale, with values formatted for that
 * locale and the recipient's time zone (UTC when the dispatch has none). The template is the
 * tenant's or the shipped one the rule chose (`dispatch.template`), else the event type's, else the
 * default. A digest's template sees its members as `digest.members` and its counts by type as
 * `digest.counts`; its body is followed by the listing of its members (see digest-renderer.ts),
 * also returned in parts. Escalations are dispatches like any other and render here too.
 *
 * A template that fails to render (a limit, or a strict preview meeting an unknown variable)
 * throws a TemplateError: permanent, so the notification fails with that reason.
 */
import type { Dispatch } from '@notify/schemas';
import { digestText } from './digest-listing';
import { digestContext, renderDigest, type DigestFallbacks } from './digest-renderer';
import { humanise } from './humanise';
import { compileTemplate, renderTemplate, type CompiledTemplate } from './interpolate';
import type { FormatContext } from './intl-filters';
import { formattingLocale } from './locale';
import type { RenderedMessage } from './provider';
import { createTemplateEngine, type TemplateEngine } from './template-engine';
import { TemplateError } from './template-error';
import type { MessageTemplate, TemplateSource } from './templates';

export { humanise };

/** A rendered layout as JSON; text that is not JSON fails the notification with where it broke. */
function parsedLayout(template: CompiledTemplate, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TemplateError(`${template.where}layout did not render to JSON: ${reason}`, { field: 'layout', cause: error });
  }
}

/** Digest members listed one per line when a channel does not say otherwise; the rest are counted. */
export const DEFAULT_DIGEST_LINES = 10;

export interface TemplateRendererOptions {
  /** The recipient's one-click unsubscribe link for this channel, when the channel has one (email). */
  unsubscribeUrl?: (dispatch: Dispatch) => string;
  /** Most digest members listed one per line (DEFAULT_DIGEST_LINES); the others are counted in the `more` line. */
  digestLines?: number;
  /** The clock `relative` counts from. */
  now?: () => number;
  /** Unknown variables fail the render instead of printing nothing: previews, never sends. */
  strictVariables?: boolean;
  /** Compiles the built-in fallback texts; one is made when not given. */
  engine?: TemplateEngine;
}

/** Built-in texts for a message no template matches and for digest parts the templates leave out. */
function fallbackTexts(engine: TemplateEngine): { message: MessageTemplate; digest: DigestFallbacks } {
  const compile = (source: string, field: string) => compileTemplate(engine, source, field, 'built-in ');
  return {
    message: { title: compile('{{type_title}}', 'title'), body: compile('{{type_title}} ({{severity}})', 'body') },
    digest: {
      item: compile('{{type_title}}, {{occurred_at | datetime}}', 'item'),
      group: compile('{{type_title}}: {{count}}', 'group'),
      more: compile('and {{count}} more', 'more'),
    },
  };
}

export function createTemplateRenderer(
  source: TemplateSource,
  channel: string,
  options: TemplateRendererOptions = {},
): (dispatch: Dispatch) => RenderedMessage {
  const now = options.now ?? Date.now;
  const limit = options.digestLines ?? DEFAULT_DIGEST_LINES;
  const strictVariables = options.strictVariables ?? false;
  const fallback = fallbackTexts(options.engine ?? createTemplateEngine());
  return (d) => {
    const payload: unknown = JSON.parse(d.payload);
    const unsubscribeUrl = options.unsubscribeUrl?.(d);
    const context = {
      payload,
      type: d.type,
      type_title: humanise(d.type),
      severity: d.severity,
      severity_label: d.severity_label,
      tenant: d.tenant,
      user_id: d.user_id,
      notification_id: d.notification_id,
      event_id: d.event_id,
      occurred_at: d.occurred_at,
      locale: d.locale,
      unsubscribe_url: unsubscribeUrl ?? '',
      channel,
      ...(d.digest ? { digest: digestContext(d.digest) } : {}),
    };
    const found = source.find({ tenant: d.tenant, template: d.template, type: d.type, version: d.template_version }, channel, d.locale);
    const template = found?.template ?? fallback.message;
    const format: FormatContext = { locale: formattingLocale(d.locale, found?.locale), timeZone: d.time_zone ?? 'UTC', now: now() };
    const fill = (t: CompiledTemplate) => renderTemplate(t, context, { format, strictVariables });
    const summary = fill(template.body);
    const digest = renderDigest({
      source,
      channel,
      dispatch: d,
      template,
      format,
      summary,
      limit,
      fallbacks: fallback.digest,
      strictVariables,
    });
    return {
      title: fill(template.title),
      body: digest ? [summary, digestText(digest)].filter(Boolean).join('\n\n') : summary,
      ...(template.html !== undefined ? { html: fill(template.html) } : {}),
      ...(template.layout !== undefined ? { layout: parsedLayout(template.layout, fill(template.layout)) } : {}),
      ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      ...(digest ? { digest } : {}),
      data: {
        notification_id: d.notification_id,
        event_id: d.event_id,
        type: d.type,
        severity: d.severity,
        severity_label: d.severity_label,
        locale: found?.locale ?? d.locale,
        payload,
      },
    };
  };
}
