/**
 * Email parts from the templates, with the recipient's signed unsubscribe link in the header, the
 * text part and the HTML part (see email-layout.ts for messages whose template has no HTML).
 */
import { createTemplateRenderer, type RenderedMessage, type TemplateSource } from '@notify/channel';
import { unsubscribeUrl, type Dispatch } from '@notify/schemas';
import { withEmailParts } from './email-layout';

export function createEmailRenderer(source: TemplateSource, options: { unsubscribeBaseUrl: string; unsubscribeSecret: string }): (dispatch: Dispatch) => RenderedMessage {
  const link = (d: Dispatch) => unsubscribeUrl(options.unsubscribeBaseUrl, options.unsubscribeSecret, d.recipient, 'email');
  const render = createTemplateRenderer(source, 'email', { unsubscribeUrl: link });
  return (d) => {
    const message = render(d);
    const locale = typeof message.data.locale === 'string' ? message.data.locale : d.locale;
    return withEmailParts(message, message.unsubscribeUrl ?? link(d), locale);
  };
}
