/**
 * Default titles and bodies per event type, written in the interpolation language. Channel workers
 * start from these; channel-specific formats build on the same title and body.
 */
import type { Dispatch } from '@notify/schemas';
import { interpolate } from './interpolate';
import type { RenderedMessage } from './provider';

interface Template {
  title: string;
  body: string;
}

const BUILT_IN: Record<string, Template> = {
  ORDER_FILLED: { title: 'Order filled: {{payload.symbol}}', body: 'Your order {{payload.order_id}} for {{payload.quantity}} {{payload.symbol}} was filled at {{payload.price}}.' },
  MARGIN_CALL: { title: 'MARGIN CALL on {{payload.account_id}}', body: 'Your account {{payload.account_id}} is short {{payload.shortfall}}. Add funds before {{payload.deadline}}.' },
  DEAL_SCARCITY: { title: 'Allocation closing: {{payload.deal_name}}', body: 'Only {{payload.remaining_capacity}} remains in {{payload.deal_name}}.' },
};

function humanise(type: string): string {
  return type.toLowerCase().split(/[_.:-]+/).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' ');
}

export function renderDefault(dispatch: Dispatch): RenderedMessage {
  const payload: unknown = JSON.parse(dispatch.payload);
  const context = { payload, type: dispatch.type, severity: dispatch.severity, tenant: dispatch.tenant, user_id: dispatch.user_id };
  // Own keys only: an event type such as "toString" must not pick up an Object.prototype member.
  const template = (Object.hasOwn(BUILT_IN, dispatch.type) ? BUILT_IN[dispatch.type] : undefined) ?? { title: humanise(dispatch.type), body: `${humanise(dispatch.type)} ({{severity}})` };
  return {
    title: interpolate(template.title, context),
    body: interpolate(template.body, context),
    data: { notification_id: dispatch.notification_id, event_id: dispatch.event_id, type: dispatch.type, severity: dispatch.severity, severity_label: dispatch.severity_label, payload },
  };
}
