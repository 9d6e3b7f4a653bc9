/**
 * The router's handler for accepted events: route the event with its tenant's rules, resolve who
 * receives it, and emit one Intent per direct recipient (explicit recipients and payload.user_id)
 * plus `routed` statuses. An audience is not expanded here: the handler writes the first fan-out page
 * and the fan-out worker streams the members, so a large audience never holds up the events behind it.
 * A decision with team channels also gets the team's intent here, once per event whatever the number of
 * people (never per fan-out page); the team is a recipient, so an event that reaches only the team is
 * not suppressed. Events that reach nobody end here with an event-level `suppressed` status saying why.
 */
import { InvalidInputError } from '@notify/errors';
import type { AcceptedEvent } from '@notify/schemas';
import type { Handler, InputRecord, Output } from '@notify/runner';
import { parseAudienceSelector } from './audience-selector';
import { firstPage } from './fanout-page';
import { eventSuppressed, recipientOutputs, teamOutputs } from './intent-outputs';
import { directRecipients } from './recipients';
import type { RouteDecision } from './rules/rule-types';

export { STAGE, buildIntent } from './intent-outputs';

export interface Router {
  route(event: AcceptedEvent): RouteDecision | null;
}

export interface RouterHandlerDeps {
  /** The rules in force now; reloads swap what this returns. */
  rules: () => Router;
  now?: () => number;
}

function parsePayload(event: AcceptedEvent): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(event.payload);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('invalid_payload', `payload of event ${event.event_id} is not a JSON object`);
}

export function createRouterHandler(deps: RouterHandlerDeps): Handler<'notifications.accepted'> {
  const now = deps.now ?? Date.now;
  return {
    handle(record: InputRecord<AcceptedEvent>): Output[] {
      const event = record.value;
      const at = now();
      const decision = deps.rules().route(event);
      if (!decision || decision.channels.length === 0) {
        return [eventSuppressed(event, 'no_route', decision ? 'the matching route has no channels' : 'a rule suppresses this event', at)];
      }
      const direct = directRecipients(event, parsePayload(event));
      const audiences = parseAudienceSelector(event.audience);
      const team = teamOutputs(event, decision, decision.team, at);
      if (direct.length === 0 && audiences.length === 0 && team.length === 0) {
        return [eventSuppressed(event, 'no_recipients', 'no explicit recipients, no payload.user_id and no audience', at)];
      }
      const outputs = [...direct.flatMap((userId) => recipientOutputs(event, userId, decision, at)), ...team];
      const reached = direct.length + (team.length > 0 ? 1 : 0);
      if (audiences.length > 0) outputs.push(firstPage(event, decision, audiences, direct, reached, at));
      return outputs;
    },
  };
}
