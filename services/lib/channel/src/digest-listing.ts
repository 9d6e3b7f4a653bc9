/**
 * What a digest message lists: its members grouped by type, most frequent first, each group with
 * the count the aggregator recorded and at most `limit` member lines in all. Members the digest
 * holds but does not list (over the limit, or beyond the aggregator's `items`) are counted in one
 * "and N more" line, so the numbers always add up to `digest.total`.
 */
import type { Digest, DigestItem } from '@notify/schemas';

export interface DigestGroupSelection {
  type: string;
  /** Members of this type in the digest, listed or not. */
  count: number;
  /** The members of this type that get a line, in the digest's order. */
  items: DigestItem[];
}

export interface DigestSelection {
  groups: DigestGroupSelection[];
  /** Members held but not listed. */
  more: number;
}

export function selectDigestMembers(digest: Digest, limit: number): DigestSelection {
  const counts = new Map<string, number>(Object.entries(digest.counts));
  const byType = new Map<string, DigestItem[]>();
  for (const item of digest.items) {
    const items = byType.get(item.type) ?? [];
    items.push(item);
    byType.set(item.type, items);
    counts.set(item.type, Math.max(counts.get(item.type) ?? 0, items.length));
  }
  let budget = Math.max(0, Math.floor(limit));
  const groups = [...counts]
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([type, count]): DigestGroupSelection => {
      const items = (byType.get(type) ?? []).slice(0, budget);
      budget -= items.length;
      return { type, count, items };
    });
  const listed = groups.reduce((n, g) => n + g.items.length, 0);
  const held = Math.max(digest.total, digest.items.length);
  return { groups, more: Math.max(0, held - listed) };
}

export interface RenderedDigestGroup {
  type: string;
  count: number;
  /** "Stop Loss Triggered: 3". */
  heading: string;
  /** One line per listed member, from its type's `item` template. */
  lines: string[];
}

/** A digest as rendered text pieces, for channels that lay it out themselves (the email HTML part). */
export interface RenderedDigest {
  /** The digest template's body, before the listing. */
  summary: string;
  groups: RenderedDigestGroup[];
  /** "and 2 more", or null when every member is listed. */
  more: string | null;
}

/** The listing as plain text: each heading, its members as "- " lines, then the "more" line. */
export function digestText(digest: RenderedDigest): string {
  const lines = digest.groups.flatMap((g) => [g.heading, ...g.lines.map((line) => `- ${line}`)]);
  if (digest.more) lines.push(digest.more);
  return lines.join('\n');
}
