import { DEFAULT_TEAM, type AcceptedEvent } from '@notify/schemas';
import { bypassesQuietHours } from './quiet-hours-bypass';
import { NO_TEMPLATE, type DefaultRoute, type RouteDecision } from './rule-types';

/** Routing for an event no rule matched: its severity's entry in the defaults table. */
export function defaultDecision(event: AcceptedEvent, route: DefaultRoute): RouteDecision {
  return {
    rule: null,
    matched_rules: [],
    channels: [...route.channels],
    // No template id: channel workers go by the event type.
    template: NO_TEMPLATE,
    priority: route.priority,
    bypass_quiet_hours: bypassesQuietHours([route.bypassQuietHours], event.severity, route.priority),
    mandatory: route.mandatory,
    batching: route.batchWindowMs > 0 ? { window_ms: route.batchWindowMs, group_by: null, max_items: null } : null,
    escalation: [],
    inhibit_labels: [],
    team: DEFAULT_TEAM,
  };
}
