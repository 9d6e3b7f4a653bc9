/**
 * The one message a closing window becomes. Its notification id is derived from the recipient,
 * channel, window and opening time, so a window closed again after an aborted transaction yields
 * the same id (and the channel's idempotency claim sends it once).
 *
 * Every member is listed in `items` (windows never grow past their max items, which is also N), so
 * whoever reports the digest's outcome can close each member notification: see services/aggregator/README.md.
 */
import { notificationId, severityRank, SEVERITIES, type Channel, type Dispatch, type Severity } from '@notify/schemas';
import type { DispatchRecipient } from '../dispatch';
import type { DigestWindow } from '../state/recipient-state';

export const DIGEST_TYPE = 'DIGEST';
export const DIGEST_TEMPLATE = 'digest';

export function digestId(recipient: string, windowKey: string, window: DigestWindow): string {
  return notificationId(`digest:${windowKey}:${window.openedAt}`, recipient, window.channel);
}

/** "3 Stop Loss Triggered, 2 Trade Executed": the count per type, most frequent first. */
export function digestSummary(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([type, count]) => `${count} ${humanType(type)}`)
    .join(', ');
}

function humanType(type: string): string {
  return type
    .toLowerCase()
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

export function digestDispatch(recipient: string, windowKey: string, window: DigestWindow, to: DispatchRecipient, now: number): Dispatch {
  const id = digestId(recipient, windowKey, window);
  const counts: Record<string, number> = {};
  let severity: Severity = 'success';
  for (const m of window.members) {
    counts[m.type] = (counts[m.type] ?? 0) + 1;
    const s = SEVERITIES.find((x) => x === m.severity);
    if (s && severityRank(s) > severityRank(severity)) severity = s;
  }
  const summary = digestSummary(counts);
  return {
    notification_id: id,
    idempotency_key: id,
    event_id: id,
    tenant: window.tenant,
    recipient,
    user_id: window.userId,
    channel: window.channel as Channel,
    type: DIGEST_TYPE,
    severity,
    severity_label: severity,
    template: DIGEST_TEMPLATE,
    priority: window.priority,
    locale: to.locale,
    address: to.address,
    payload: JSON.stringify({ summary, total: window.members.length, counts, group: window.group }),
    digest: {
      total: window.members.length,
      counts,
      items: window.members.map((m) => ({ ...m })),
    },
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: Math.min(...window.members.map((m) => m.occurred_at)),
    created_at: now,
    time_zone: to.timeZone,
    dedupe_key: null,
    template_version: null,
  };
}
