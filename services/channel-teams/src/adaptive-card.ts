/**
 * The Teams rendering: a Workflows "message" carrying one Adaptive Card (schema 1.4, which Teams
 * renders everywhere). Severity styles the header container and title colour; severity, type and
 * event id follow as facts.
 */
import type { RenderedMessage } from '@notify/channel';
import { PermanentError } from '@notify/errors';
import type { Dispatch, Severity } from '@notify/schemas';

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.4';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export const TEAMS_STYLE: Record<Severity, { container: string; color: string }> = {
  critical: { container: 'attention', color: 'Attention' },
  warning: { container: 'warning', color: 'Warning' },
  info: { container: 'accent', color: 'Accent' },
  success: { container: 'good', color: 'Good' },
};

export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  msteams: { width: 'Full' };
}

export interface WorkflowsMessage {
  type: 'message';
  attachments: Array<{ contentType: string; contentUrl: null; content: AdaptiveCard }>;
}

export function adaptiveCard(dispatch: Dispatch, message: RenderedMessage): AdaptiveCard {
  // The template's own card (its `card` field) replaces the built one.
  if (message.layout !== undefined) {
    const card = message.layout as Partial<AdaptiveCard> | null;
    if (card === null || typeof card !== 'object' || Array.isArray(card) || card.type !== 'AdaptiveCard' || !Array.isArray(card.body)) {
      throw new PermanentError(
        'template_invalid',
        'a Teams template\'s card must render to an Adaptive Card: an object with "type": "AdaptiveCard" and a "body" array',
      );
    }
    return { $schema: ADAPTIVE_CARD_SCHEMA, version: ADAPTIVE_CARD_VERSION, msteams: { width: 'Full' }, ...card } as AdaptiveCard;
  }
  const style = TEAMS_STYLE[dispatch.severity];
  return {
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    body: [
      {
        type: 'Container',
        style: style.container,
        bleed: true,
        items: [{ type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', color: style.color, wrap: true }],
      },
      { type: 'TextBlock', text: message.body, wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Severity', value: dispatch.severity_label || dispatch.severity },
          { title: 'Type', value: dispatch.type },
          { title: 'Event', value: dispatch.event_id },
        ],
      },
    ],
    msteams: { width: 'Full' },
  };
}

export function workflowsMessage(dispatch: Dispatch, message: RenderedMessage): WorkflowsMessage {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: adaptiveCard(dispatch, message) }],
  };
}
