/**
 * A local PagerDuty Events API v2 (`POST /v2/enqueue`): validates events the way PagerDuty does
 * (routing key, action, dedup_key for resolve, payload summary/source/severity for trigger), answers
 * 202 `{status: "success", message: "Event processed", dedup_key}` or 400 `{status: "invalid event",
 * message, errors}`, and keeps incidents by dedup_key so tests can see trigger then resolve.
 */
import { randomUUID } from 'node:crypto';
import { jsonBody, startScriptedServer, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface PagerDutyEventBody {
  routing_key?: string;
  event_action?: string;
  dedup_key?: string;
  payload?: { summary?: string; source?: string; severity?: string; [k: string]: unknown };
}

export interface PagerDutyFake extends ScriptedServer {
  eventsUrl: string;
  events(): PagerDutyEventBody[];
  /** Incident state by dedup_key: triggered or resolved. */
  incidents: Map<string, 'triggered' | 'resolved'>;
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

function problems(e: PagerDutyEventBody): string[] {
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32) errors.push("'routing_key' must be a 32 character integration key");
  if (!['trigger', 'acknowledge', 'resolve'].includes(String(e.event_action))) errors.push("'event_action' is invalid");
  if (e.event_action !== 'trigger' && !e.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve");
  if (e.event_action === 'trigger') {
    if (!e.payload?.summary) errors.push("'payload.summary' is missing or blank");
    if (!e.payload?.source) errors.push("'payload.source' is missing or blank");
    if (!SEVERITIES.has(String(e.payload?.severity))) errors.push("'payload.severity' is invalid");
  }
  return errors;
}

export async function startPagerDutyFake(options: { latencyMs?: number } = {}): Promise<PagerDutyFake> {
  const incidents = new Map<string, 'triggered' | 'resolved'>();
  const server = await startScriptedServer({
    ...options,
    handle: (req: FakeRequest) => {
      if (req.path !== '/v2/enqueue') return { status: 404, body: { status: 'not found' } };
      const event = jsonBody<PagerDutyEventBody>(req);
      const errors = problems(event);
      if (errors.length > 0) return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
      const dedupKey = event.dedup_key ?? randomUUID().replace(/-/g, '');
      if (event.event_action === 'trigger') incidents.set(dedupKey, 'triggered');
      if (event.event_action === 'resolve' && incidents.has(dedupKey)) incidents.set(dedupKey, 'resolved');
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
    },
  });
  return { ...server, eventsUrl: server.url, events: () => server.accepted.map((r) => jsonBody<PagerDutyEventBody>(r)), incidents };
}
