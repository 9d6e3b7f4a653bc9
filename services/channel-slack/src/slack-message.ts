/**
 * The Slack rendering of a notification: a Block Kit header with a severity marker, the body as a
 * section inside a colour-barred attachment (the only place Slack shows a colour), the event's plain
 * payload values as labelled fields (seed 002's attachment fields, in Block Kit form), and a context
 * line. The top-level `text` is the fallback for notifications and screen readers.
 */
import { PermanentError } from '@notify/errors';
import { humanise, type RenderedMessage } from '@notify/channel';
import type { Dispatch, Severity } from '@notify/schemas';

export const SLACK_STYLE: Record<Severity, { emoji: string; color: string }> = {
  critical: { emoji: ':red_circle:', color: '#E01E5A' },
  warning: { emoji: ':large_yellow_circle:', color: '#ECB22E' },
  info: { emoji: ':large_blue_circle:', color: '#36C5F0' },
  success: { emoji: ':large_green_circle:', color: '#2EB67D' },
};

/** Slack's documented limits: header text 150 characters, section text 3000, 10 fields of 2000 each. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELDS_MAX = 10;
const FIELD_MAX = 2000;

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

/** The payload's top-level plain values (text, numbers, yes/no) as `*Label*\nvalue` fields; nested data is left out. */
export function payloadFields(payload: string): Array<{ type: 'mrkdwn'; text: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, unknown>)
    .filter((entry): entry is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof entry[1]))
    .slice(0, FIELDS_MAX)
    .map(([key, value]) => ({
      type: 'mrkdwn' as const,
      text: cut(`*${escapeMrkdwn(humanise(key))}*\n${escapeMrkdwn(String(value))}`, FIELD_MAX),
    }));
}

export function slackMessage(dispatch: Dispatch, message: RenderedMessage): SlackMessage {
  const fields = payloadFields(dispatch.payload);
  const style = SLACK_STYLE[dispatch.severity];
  const fallback = cut(`${message.title}: ${message.body}`, SECTION_MAX);
  // The template's own blocks (its `blocks` field) replace the built layout; title and body stay the notification text.
  if (message.layout !== undefined) {
    if (!Array.isArray(message.layout))
      throw new PermanentError('template_invalid', "a Slack template's blocks must render to a JSON array of Block Kit blocks");
    return { text: fallback, blocks: message.layout, attachments: [] };
  }
  return {
    text: fallback,
    blocks: [{ type: 'header', text: { type: 'plain_text', text: cut(`${style.emoji} ${message.title}`, HEADER_MAX), emoji: true } }],
    attachments: [
      {
        color: style.color,
        fallback,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: cut(escapeMrkdwn(message.body), SECTION_MAX) } },
          ...(fields.length > 0 ? [{ type: 'section', fields }] : []),
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: escapeMrkdwn(`*${dispatch.severity_label.toUpperCase()}* · ${dispatch.type} · event ${dispatch.event_id}`),
              },
            ],
          },
        ],
      },
    ],
  };
}
