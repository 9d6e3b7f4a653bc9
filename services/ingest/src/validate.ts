/**
 * The rules an event must satisfy to enter the pipeline, shared by the HTTP gateway (400 with field
 * errors) and the Kafka consumer (rejected topic with the same reasons).
 */
import { normaliseSeverity, type AcceptedEvent, type Event } from '@notify/schemas';

export interface FieldProblem {
  field: string;
  message: string;
}

export type Validation = { ok: true; accepted: AcceptedEvent } | { ok: false; problems: FieldProblem[] };

const TYPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const TENANT = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_RECIPIENTS = 1000;
/** The router's limit on audiences named by one event. */
const MAX_AUDIENCES = 16;
const AUDIENCE = /^[A-Za-z0-9_-]+:[A-Za-z0-9_.:-]+$/;

export const LIMITS = { MAX_PAYLOAD_BYTES, MAX_RECIPIENTS };

function parsePayload(text: string, problems: FieldProblem[]): void {
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    problems.push({ field: 'payload', message: `must be at most ${MAX_PAYLOAD_BYTES} bytes` });
    return;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push({ field: 'payload', message: 'must be a JSON object' });
    }
  } catch {
    problems.push({ field: 'payload', message: 'is not valid JSON' });
  }
}

export function validateEvent(event: Event, acceptedAt: number): Validation {
  const problems: FieldProblem[] = [];
  if (event.event_id.length === 0 || event.event_id.length > 200)
    problems.push({ field: 'event_id', message: 'must be 1 to 200 characters' });
  if (!TYPE.test(event.type)) problems.push({ field: 'type', message: 'must be 1 to 100 characters of letters, digits and _ . : -' });
  if (event.producer.trim().length === 0) problems.push({ field: 'producer', message: 'must not be empty' });
  if (!TENANT.test(event.tenant)) problems.push({ field: 'tenant', message: 'must be lower-case letters, digits, _ or -, at most 63' });
  if (!Number.isFinite(event.occurred_at) || event.occurred_at <= 0)
    problems.push({ field: 'occurred_at', message: 'must be a positive epoch-millisecond time' });
  const severity = normaliseSeverity(event.severity);
  if (!severity) problems.push({ field: 'severity', message: `unknown severity "${event.severity}"` });
  parsePayload(event.payload, problems);
  if (event.dedupe_key !== null && (event.dedupe_key.length === 0 || event.dedupe_key.length > 200)) {
    problems.push({ field: 'dedupe_key', message: 'must be 1 to 200 characters when given' });
  }
  const recipients = event.recipients ?? [];
  if (recipients.length > MAX_RECIPIENTS)
    problems.push({ field: 'recipients', message: `at most ${MAX_RECIPIENTS}; use an audience for more` });
  recipients.forEach((r, i) => {
    if (r.length === 0 || r.length > 200 || r.includes('/'))
      problems.push({ field: `recipients[${i}]`, message: 'must be a user id of 1 to 200 characters without /' });
  });
  if (event.audience !== null) {
    // One audience or several separated by commas (the router fans out to their union).
    const names = event.audience.split(',').map((name) => name.trim());
    if (names.length > MAX_AUDIENCES || names.some((name) => !AUDIENCE.test(name) || name.length > 200)) {
      problems.push({
        field: 'audience',
        message: `must be kind:value (e.g. tier:TIER_1_SFO), or up to ${MAX_AUDIENCES} of them separated by commas`,
      });
    }
  }
  if (problems.length > 0 || !severity) return { ok: false, problems };
  return {
    ok: true,
    accepted: {
      event_id: event.event_id,
      type: event.type,
      producer: event.producer,
      tenant: event.tenant,
      occurred_at: event.occurred_at,
      accepted_at: acceptedAt,
      severity,
      severity_label: event.severity,
      payload: event.payload,
      dedupe_key: event.dedupe_key,
      recipients: [...new Set(recipients)],
      audience: event.audience,
      labels: event.labels,
    },
  };
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field} ${p.message}`).join('; ');
}
