/**
 * The members of an aggregator digest as report rows: when each happened, how severe it was and its
 * own rendered title, so a digest email lists what it stands for rather than only counting it.
 */
import { humanise, type RenderedMessage } from '@notify/channel';
import { normaliseSeverity, type Dispatch, type DigestItem } from '@notify/schemas';

export interface DigestRow {
  /** "2024-01-01 12:00 UTC". */
  time: string;
  severity: string;
  title: string;
}

export interface DigestReport {
  rows: DigestRow[];
  /** Members counted in the digest but not listed in it (the aggregator lists the first N). */
  more: number;
}

function utcMinute(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isFinite(date.getTime()) ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

/** The member as a dispatch of its own, so the member's type template titles it. */
function memberDispatch(digest: Dispatch, item: DigestItem): Dispatch {
  return {
    ...digest, notification_id: item.notification_id, event_id: item.event_id, type: item.type, template: item.type,
    severity: normaliseSeverity(item.severity) ?? digest.severity, severity_label: item.severity, payload: item.payload,
    digest: null, occurred_at: item.occurred_at,
  };
}

function memberTitle(render: (d: Dispatch) => RenderedMessage, digest: Dispatch, item: DigestItem): string {
  try {
    return render(memberDispatch(digest, item)).title;
  } catch {
    // A member payload that is not JSON still gets a line: its type.
    return humanise(item.type);
  }
}

/** Undefined for a dispatch that is not a digest. */
export function digestReport(d: Dispatch, render: (d: Dispatch) => RenderedMessage): DigestReport | undefined {
  if (!d.digest) return undefined;
  const rows = d.digest.items.map((item) => ({ time: utcMinute(item.occurred_at), severity: item.severity, title: memberTitle(render, d, item) }));
  return { rows, more: Math.max(0, d.digest.total - rows.length) };
}
