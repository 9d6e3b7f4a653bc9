/**
 * Email parts from the templates, with the recipient's signed unsubscribe link in the header, the
 * text part and the HTML part (see email-layout.ts for messages whose template has no HTML).
 */
import { unsubscribeUrl, type Dispatch } from '@notify/schemas';
import type { RenderSettings } from './render-settings';
import { withEmailParts } from './email-layout';
import type { RenderedMessage } from './provider';
import { createTemplateRenderer } from './template-renderer';
import type { TemplateSource } from './templates';

export interface EmailLinks {
  /** Where the signed unsubscribe link points (the API's /v1/unsubscribe). */
  unsubscribeBaseUrl: string;
  /** The HMAC key of the link, shared with the API. */
  unsubscribeSecret: string;
}

export function createEmailRenderer(source: TemplateSource, options: EmailLinks & RenderSettings): (dispatch: Dispatch) => RenderedMessage {
  const { unsubscribeBaseUrl, unsubscribeSecret, ...settings } = options;
  const link = (d: Dispatch) => unsubscribeUrl(unsubscribeBaseUrl, unsubscribeSecret, d.recipient, 'email');
  const render = createTemplateRenderer(source, 'email', { ...settings, unsubscribeUrl: link });
  return (d) => {
    const message = render(d);
    const locale = typeof message.data.locale === 'string' ? message.data.locale : d.locale;
    return withEmailParts(message, message.unsubscribeUrl ?? link(d), locale);
  };
}
