/**
 * Renders a dispatch with the template book for one channel: title, text body, HTML body (values
 * HTML-escaped) and the unsubscribe link, localised by the dispatch's locale.
 */
import type { Dispatch } from '@notify/schemas';
import { escapeHtml, interpolate } from './interpolate';
import type { RenderedMessage } from './provider';
import type { TemplateBook } from './templates';

export interface TemplateRendererOptions {
  /** The recipient's one-click unsubscribe link for this channel, when the channel has one (email). */
  unsubscribeUrl?: (dispatch: Dispatch) => string;
}

export function humanise(type: string): string {
  return type.toLowerCase().split(/[_.:-]+/).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' ');
}

export function createTemplateRenderer(book: TemplateBook, channel: string, options: TemplateRendererOptions = {}): (dispatch: Dispatch) => RenderedMessage {
  return (d) => {
    const payload: unknown = JSON.parse(d.payload);
    const unsubscribeUrl = options.unsubscribeUrl?.(d);
    const context = {
      payload, type: d.type, type_title: humanise(d.type), severity: d.severity, severity_label: d.severity_label, tenant: d.tenant,
      user_id: d.user_id, notification_id: d.notification_id, event_id: d.event_id, locale: d.locale, unsubscribe_url: unsubscribeUrl ?? '',
    };
    const found = book.find(d.type, channel, d.locale);
    const template = found?.template ?? { title: humanise(d.type), body: `${humanise(d.type)} ({{severity}})` };
    return {
      title: interpolate(template.title, context),
      body: interpolate(template.body, context),
      ...(template.html !== undefined ? { html: interpolate(template.html, context, escapeHtml) } : {}),
      ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      data: { notification_id: d.notification_id, event_id: d.event_id, type: d.type, severity: d.severity, severity_label: d.severity_label, locale: found?.locale ?? d.locale, payload },
    };
  };
}
