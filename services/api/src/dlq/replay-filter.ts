/**
 * Which dead letters a bulk replay takes: by stage (a channel names its worker's stage,
 * `channel-<c>`), by error code, and by when the stage gave up (`from` ≤ failed_at < `to`), oldest
 * first, at most `limit`. Dead letters replayed before are left out unless `force` is set. At least
 * one filter is required, so an empty body cannot replay everything.
 */
import { isChannel } from '@notify/schemas';
import type { FieldProblem } from '../http/errors';

export const BULK_REPLAY_DEFAULT_LIMIT = 100;
export const BULK_REPLAY_MAX_LIMIT = 500;

export interface BulkReplayBody {
  /** The tenant whose dead letters are replayed (an operator's own by default); not a filter that counts as one. */
  tenant?: string;
  channel?: string;
  stage?: string;
  code?: string;
  from?: string;
  to?: string;
  limit?: number;
  force?: boolean;
}

export interface ReplayFilter {
  stage: string | null;
  code: string | null;
  from: Date | null;
  to: Date | null;
  limit: number;
  /** Also take dead letters replayed before. */
  force: boolean;
}

export type ParsedReplayFilter = { ok: true; filter: ReplayFilter } | { ok: false; problems: FieldProblem[] };

function instant(value: string | undefined, field: string, problems: FieldProblem[]): Date | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    problems.push({ field, message: 'must be an ISO 8601 date-time' });
    return null;
  }
  return new Date(ms);
}

export function parseReplayFilter(body: BulkReplayBody): ParsedReplayFilter {
  const problems: FieldProblem[] = [];
  let stage = body.stage ?? null;
  if (body.channel !== undefined) {
    if (!isChannel(body.channel)) problems.push({ field: 'body.channel', message: `unknown channel ${body.channel}` });
    const channelStage = `channel-${body.channel}`;
    if (stage !== null && stage !== channelStage)
      problems.push({ field: 'body.stage', message: `contradicts channel ${body.channel} (stage ${channelStage})` });
    stage = channelStage;
  }
  const from = instant(body.from, 'body.from', problems);
  const to = instant(body.to, 'body.to', problems);
  if (from && to && from.getTime() >= to.getTime()) problems.push({ field: 'body.to', message: 'must be later than from' });
  const code = body.code ?? null;
  if (stage === null && code === null && body.from === undefined && body.to === undefined) {
    problems.push({ field: 'body', message: 'name at least one filter: channel, stage, code, from or to' });
  }
  const limit = body.limit ?? BULK_REPLAY_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > BULK_REPLAY_MAX_LIMIT)
    problems.push({ field: 'body.limit', message: `must be an integer from 1 to ${BULK_REPLAY_MAX_LIMIT}` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, filter: { stage, code, from, to, limit, force: body.force ?? false } };
}
