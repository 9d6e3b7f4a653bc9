/** SMS text: the template's body for the recipient's locale, cut to the segment budget. */
import type { Dispatch } from '@notify/schemas';
import type { RenderedMessage } from './provider';
import { fitToSegments } from './sms-segments';
import type { RenderSettings } from './render-settings';
import { createTemplateRenderer } from './template-renderer';
import type { TemplateSource } from './templates';

/** Digest members an SMS lists before "and N more": more would be cut by the segment budget anyway, and the count would go with them. */
export const SMS_DIGEST_LINES = 3;

/**
 * Intl separates French thousands with narrow no-break spaces and writes "UTC−5" with a minus sign;
 * neither is GSM-7, and one such character turns the whole SMS into UCS-2 (70 characters a segment).
 */
function gsmFriendly(text: string): string {
  return text.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/\u2212/g, '-');
}

export function createSmsRenderer(
  source: TemplateSource,
  maxSegments: number,
  settings: RenderSettings = {},
): (dispatch: Dispatch) => RenderedMessage {
  const render = createTemplateRenderer(source, 'sms', { ...settings, digestLines: SMS_DIGEST_LINES });
  return (dispatch) => {
    const message = render(dispatch);
    return { ...message, body: fitToSegments(gsmFriendly(message.body), maxSegments) };
  };
}
