/**
 * The one replay path for stored dead letters, used by the DLQ routes (one entry, or a filter) and by
 * anything else that replays a selection (re-enabling a webhook endpoint replays what it missed):
 * each entry is its own numbered, marked replay as replay-plan.ts says.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AvroCodec } from '@notify/kafka';
import type { ApiPublisher } from '../kafka/api-publisher';
import type { DlqEntry, DlqStore, ReplayOutcome } from './dlq-store';
import type { ReplayFilter } from './replay-filter';
import { planReplay, replayedDispatch, type ReplayRefusal } from './replay-plan';

export interface ReplayDeps {
  store: DlqStore;
  codec: AvroCodec;
  publisher: ApiPublisher;
  now: () => number;
}

export type EntryReplay = ReplayOutcome | ReplayRefusal;

/** Replays one stored dead letter as its plan says, numbered and marked by the store. */
export async function replayEntry(deps: ReplayDeps, entry: DlqEntry, force: boolean, operator: string): Promise<EntryReplay> {
  if (entry.replay_count > 0 && !force) return { kind: 'already_replayed', entry };
  const plan = await planReplay(entry, (topic, bytes) => deps.codec.decode(topic, bytes));
  if (plan.kind === 'refused') return plan;
  const mark = { force, operator, at: new Date(deps.now()), after: plan.kind === 'dispatch' ? plan.original.replay : 0 };
  return deps.store.replay(entry.id, mark, async (replay) => {
    if (plan.kind === 'dispatch') {
      await deps.publisher.replayDispatch({
        entryId: entry.id,
        topic: plan.topic,
        dispatch: replayedDispatch(plan.original, replay),
        operator,
      });
    } else {
      await deps.publisher.replay({ entryId: entry.id, topic: plan.topic, key: plan.key, value: plan.value, operator });
    }
  });
}

export function refusalOf(outcome: Exclude<EntryReplay, { kind: 'replayed' }>): { status: number; code: string; message: string } {
  if (outcome.kind === 'not_found') return { status: 404, code: 'not_found', message: 'no such dead letter' };
  if (outcome.kind === 'already_replayed') {
    return {
      status: 409,
      code: 'already_replayed',
      message: `replayed at ${outcome.entry.replayed_at?.toISOString() ?? '?'}; add ?force=true to replay again`,
    };
  }
  return { status: 409, code: outcome.code, message: outcome.message };
}

export interface BulkReplayResult {
  count: number;
  replayed: string[];
  skipped: Array<{ id: string; code: string; message: string }>;
  limit_reached: boolean;
}

/** Replays the dead letters `filter` selects within `tenant` (null: every tenant), oldest first, up to its limit. */
export async function replaySelected(
  deps: ReplayDeps,
  filter: ReplayFilter,
  tenant: string | null,
  operator: string,
  log: FastifyBaseLogger,
): Promise<BulkReplayResult> {
  const entries = await deps.store.selectForReplay(filter, tenant);
  const replayed: string[] = [];
  const skipped: BulkReplayResult['skipped'] = [];
  // One at a time: each is its own numbered, marked replay, and a refusal or a failed publish skips
  // only that entry (left unmarked), so the answer says exactly what went out.
  for (const entry of entries) {
    let outcome: EntryReplay;
    try {
      outcome = await replayEntry(deps, entry, filter.force, operator);
    } catch (error) {
      log.warn({ err: error, dlq_entry: entry.id }, 'bulk replay of a dead letter failed');
      skipped.push({ id: entry.id, code: 'replay_failed', message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (outcome.kind === 'replayed') {
      replayed.push(entry.id);
      continue;
    }
    const { code, message } = refusalOf(outcome);
    skipped.push({ id: entry.id, code, message });
  }
  return { count: replayed.length, replayed, skipped, limit_reached: entries.length === filter.limit };
}
