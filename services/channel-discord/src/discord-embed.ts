/**
 * The Discord rendering: one embed coloured by severity (seed 004's colours), with the severity and
 * event type as inline fields. Mentions are disabled so text from an event can never ping @everyone.
 */
import { PermanentError } from '@notify/errors';
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';

/** Seed 004: critical red, warning yellow, info and success green, anything else gray. */
export const DISCORD_COLOURS: Readonly<Record<string, number>> = Object.freeze({
  critical: 15158332,
  warning: 16776960,
  info: 3066993,
  success: 3066993,
});
export const DISCORD_DEFAULT_COLOUR = 8421504;

export function severityColour(severity: string): number {
  return Object.hasOwn(DISCORD_COLOURS, severity) ? (DISCORD_COLOURS[severity] ?? DISCORD_DEFAULT_COLOUR) : DISCORD_DEFAULT_COLOUR;
}

/** Discord's documented embed limits. */
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELD_VALUE_MAX = 1024;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: Array<{ name: string; value: string; inline: boolean }>;
  timestamp: string;
  footer: { text: string };
}

export interface DiscordWebhookBody {
  content: string;
  /** The built embed, or the template's own (its `embed` field, any embed object Discord accepts). */
  embeds: Array<DiscordEmbed | Record<string, unknown>>;
  allowed_mentions: { parse: string[] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function discordMessage(dispatch: Dispatch, message: RenderedMessage): DiscordWebhookBody {
  if (message.layout !== undefined) {
    if (!isPlainObject(message.layout))
      throw new PermanentError('template_invalid', "a Discord template's embed must render to a JSON object");
    // Mentions stay off whatever the template writes: a notification never pings @everyone.
    return { content: '', embeds: [message.layout], allowed_mentions: { parse: [] } };
  }
  return {
    content: '',
    embeds: [
      {
        title: cut(message.title, TITLE_MAX),
        description: cut(message.body, DESCRIPTION_MAX),
        color: severityColour(dispatch.severity),
        fields: [
          { name: 'Severity', value: cut(dispatch.severity_label || dispatch.severity, FIELD_VALUE_MAX), inline: true },
          { name: 'Type', value: cut(dispatch.type, FIELD_VALUE_MAX), inline: true },
        ],
        timestamp: new Date(dispatch.occurred_at).toISOString(),
        footer: { text: `notification ${dispatch.notification_id}` },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
