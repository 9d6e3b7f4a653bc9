/**
 * Each channel's render function in one place: the channel workers send what these return, and the
 * API's template preview calls the same function, so a preview shows exactly what the provider is
 * handed (email: both parts with the footer link; SMS: the text cut to the segment budget).
 */
import type { Channel, Dispatch } from '@notify/schemas';
import { createEmailRenderer, type EmailLinks } from './email-render';
import type { RenderedMessage } from './provider';
import { createSmsRenderer } from './sms-render';
import type { RenderSettings } from './render-settings';
import { createTemplateRenderer } from './template-renderer';
import type { TemplateSource } from './templates';

export type { RenderSettings };

export interface ChannelRenderOptions extends RenderSettings {
  /** The email channel's unsubscribe links (channel-email's UNSUBSCRIBE_BASE_URL and UNSUBSCRIBE_SECRET). */
  email: EmailLinks;
  /** The SMS channel's segment budget (channel-sms's SMS_MAX_SEGMENTS). */
  smsMaxSegments: number;
}

export function channelRenderer(
  channel: Channel,
  source: TemplateSource,
  options: ChannelRenderOptions,
): (dispatch: Dispatch) => RenderedMessage {
  const { email, smsMaxSegments, ...settings } = options;
  if (channel === 'email') return createEmailRenderer(source, { ...email, ...settings });
  if (channel === 'sms') return createSmsRenderer(source, smsMaxSegments, settings);
  return createTemplateRenderer(source, channel, settings);
}
