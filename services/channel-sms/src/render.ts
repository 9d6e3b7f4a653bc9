/** SMS text: the template's body for the recipient's locale, cut to the segment budget. */
import { createTemplateRenderer, type RenderedMessage, type TemplateBook } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';
import { fitToSegments } from './segments';

export function createSmsRenderer(book: TemplateBook, maxSegments: number): (dispatch: Dispatch) => RenderedMessage {
  const render = createTemplateRenderer(book, 'sms');
  return (dispatch) => {
    const message = render(dispatch);
    return { ...message, body: fitToSegments(message.body, maxSegments) };
  };
}
