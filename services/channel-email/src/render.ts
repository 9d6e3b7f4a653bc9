/** Email parts from the templates, with the recipient's signed unsubscribe link. */
import { createTemplateRenderer, type RenderedMessage, type TemplateBook } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';
import { unsubscribeUrl } from './unsubscribe';

export function createEmailRenderer(book: TemplateBook, options: { unsubscribeBaseUrl: string; unsubscribeSecret: string }): (dispatch: Dispatch) => RenderedMessage {
  return createTemplateRenderer(book, 'email', { unsubscribeUrl: (d) => unsubscribeUrl(options.unsubscribeBaseUrl, options.unsubscribeSecret, d.recipient, 'email') });
}
