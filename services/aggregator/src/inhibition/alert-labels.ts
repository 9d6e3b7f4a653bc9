/**
 * The label view of an intent that inhibit rules match on, Alertmanager style: a name resolves to
 * the intent field of that name (type, severity, severity_label, tenant, rule, template, priority),
 * else the event label, else a top-level scalar of the payload; `labels.x` and `payload.x` pick one
 * source explicitly. A missing label reads as the empty string, as in Alertmanager.
 */
import type { Intent } from '@notify/schemas';

const FIELDS = ['type', 'severity', 'severity_label', 'tenant', 'rule', 'template', 'priority', 'event_id'] as const;

export class AlertLabels {
  private payload: Record<string, unknown> | null = null;

  constructor(private readonly intent: Intent) {}

  get(name: string): string {
    if (name.startsWith('labels.')) return this.label(name.slice('labels.'.length)) ?? '';
    if (name.startsWith('payload.')) return this.payloadValue(name.slice('payload.'.length)) ?? '';
    if ((FIELDS as readonly string[]).includes(name)) return String(this.intent[name as (typeof FIELDS)[number]] ?? '');
    return this.label(name) ?? this.payloadValue(name) ?? '';
  }

  private label(name: string): string | undefined {
    return Object.hasOwn(this.intent.labels, name) ? this.intent.labels[name] : undefined;
  }

  private payloadValue(name: string): string | undefined {
    if (this.payload === null) {
      try {
        const parsed: unknown = JSON.parse(this.intent.payload);
        this.payload = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      } catch {
        this.payload = {};
      }
    }
    if (!Object.hasOwn(this.payload, name)) return undefined;
    const value = this.payload[name];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }
}
