/**
 * The Slack rendering of a notification: a Block Kit header with a severity marker, the body as a
 * section inside a colour-barred attachment (the only place Slack shows a colour), and a context line.
 * The top-level `text` is the fallback for notifications and screen readers.
 */
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch, Severity } from '@notify/schemas';

export const SLACK_STYLE: Record<Severity, { emoji: string; color: string }> = {
  critical: { emoji: ':red_circle:', color: '#E01E5A' },
  warning: { emoji: ':large_yellow_circle:', color: '#ECB22E' },
  info: { emoji: ':large_blue_circle:', color: '#36C5F0' },
  success: { emoji: ':large_green_circle:', color: '#2EB67D' },
};

/** Slack's documented limits: header text 150 characters, section text 3000. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

export interface SlackMessage {
  text: string;
  blocks: unknown[];
  attachments: Array<{ color: string; fallback: string; blocks: unknown[] }>;
}

/** mrkdwn treats &, < and > as control characters (links, mentions); user content must not. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function slackMessage(dispatch: Dispatch, message: RenderedMessage): SlackMessage {
  const style = SLACK_STYLE[dispatch.severity];
  const fallback = cut(`${message.title}: ${message.body}`, SECTION_MAX);
  return {
    text: fallback,
    blocks: [{ type: 'header', text: { type: 'plain_text', text: cut(`${style.emoji} ${message.title}`, HEADER_MAX), emoji: true } }],
    attachments: [{
      color: style.color,
      fallback,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: cut(escapeMrkdwn(message.body), SECTION_MAX) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`*${dispatch.severity_label.toUpperCase()}* · ${dispatch.type} · event ${dispatch.event_id}`) }] },
      ],
    }],
  };
}
