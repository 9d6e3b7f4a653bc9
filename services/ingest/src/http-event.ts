/** Turns a JSON request body into an Event, collecting every type problem as a field error. */
import { randomUUID } from 'node:crypto';
import type { Event } from '@notify/schemas';
import type { FieldProblem } from './validate';

type Json = Record<string, unknown>;

function optionalString(body: Json, field: string, problems: FieldProblem[]): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    problems.push({ field, message: 'must be a string' });
    return null;
  }
  return v;
}

function occurredAt(value: unknown, now: number, problems: FieldProblem[]): number {
  if (value === undefined || value === null) return now;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  problems.push({ field: 'occurred_at', message: 'must be an ISO-8601 time or epoch milliseconds' });
  return now;
}

/** `newId` names an event whose body has none (random by default; derived from the Idempotency-Key when there is one). */
export function eventFromJson(
  raw: unknown,
  tenant: string,
  now: number,
  newId: () => string = randomUUID,
): { event: Event; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const body: Json = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Json) : {};
  if (body !== raw) problems.push({ field: '(body)', message: 'must be a JSON object' });
  const type = optionalString(body, 'type', problems);
  if (type === null) problems.push({ field: 'type', message: 'is required' });
  const producer = optionalString(body, 'producer', problems);
  if (producer === null) problems.push({ field: 'producer', message: 'is required' });
  const claimedTenant = optionalString(body, 'tenant', problems);
  if (claimedTenant !== null && claimedTenant !== tenant) problems.push({ field: 'tenant', message: 'does not match the API key' });
  const payload = body.payload ?? {};
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    problems.push({ field: 'payload', message: 'must be a JSON object' });
  const recipients = body.recipients;
  if (recipients !== undefined && recipients !== null && !(Array.isArray(recipients) && recipients.every((r) => typeof r === 'string'))) {
    problems.push({ field: 'recipients', message: 'must be an array of user id strings' });
  }
  const labels = body.labels ?? {};
  const labelsOk =
    labels !== null && typeof labels === 'object' && !Array.isArray(labels) && Object.values(labels).every((v) => typeof v === 'string');
  if (!labelsOk) problems.push({ field: 'labels', message: 'must be an object of string values' });
  const severity = body.severity === undefined ? 'info' : body.severity;
  if (typeof severity !== 'string') problems.push({ field: 'severity', message: 'must be a string' });
  return {
    problems,
    event: {
      event_id: optionalString(body, 'event_id', problems) ?? newId(),
      type: type ?? '',
      producer: producer ?? '',
      tenant,
      occurred_at: occurredAt(body.occurred_at, now, problems),
      severity: typeof severity === 'string' ? severity : 'info',
      payload: JSON.stringify(payload),
      dedupe_key: optionalString(body, 'dedupe_key', problems),
      recipients: Array.isArray(recipients) ? (recipients as string[]) : null,
      audience: optionalString(body, 'audience', problems),
      labels: labelsOk ? (labels as Record<string, string>) : {},
    },
  };
}
