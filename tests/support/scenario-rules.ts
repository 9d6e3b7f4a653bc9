/**
 * What the scenario tests write as a tenant and as a producer: a rule file whose defaults send every
 * severity to the inbox at once (so only the rules under test decide anything else), and events in the
 * JSON shape `POST /v1/events` takes.
 */
import { randomUUID } from 'node:crypto';

/** One `rules:` entry with one notify action; `action` is extra YAML flow-mapping fields (`batching: {...}`). */
export function rule(name: string, eventTypes: string | string[], channels: string[], action = ''): string {
  const types = Array.isArray(eventTypes) ? `[${eventTypes.map((t) => `"${t}"`).join(', ')}]` : `"${eventTypes}"`;
  return `  - name: "${name}"\n    event_type: ${types}\n    actions:\n      - { type: notify, channels: [${channels.join(', ')}]${action ? `, ${action}` : ''} }`;
}

export function inboxByDefault(tenant: string, rules: string[]): string {
  return (
    [
      `tenant: ${tenant}`,
      'defaults:',
      ...['critical', 'warning', 'info', 'success'].map((s) => `  ${s}: { channels: [inapp], batch_window: 0 }`),
      'rules:',
      ...rules,
    ].join('\n') + '\n'
  );
}

export type HttpEvent = { event_id: string; type: string; producer: string; severity: string; payload: Record<string, unknown> } & Record<
  string,
  unknown
>;

export function httpEvent(type: string, payload: Record<string, unknown>, over: Record<string, unknown> = {}): HttpEvent {
  return { event_id: `${type.toLowerCase()}-${randomUUID()}`, type, producer: 'scenario', severity: 'medium', payload, ...over };
}
