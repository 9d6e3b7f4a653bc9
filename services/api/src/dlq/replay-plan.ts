/**
 * What replaying a dead letter sends. A channel's dead letter (a Dispatch, from its dispatch or its
 * retry topic) is re-run: the Dispatch goes back to the channel's dispatch topic, keyed by recipient
 * as the aggregator keys it, with a fresh attempt budget and the replay's number, so the worker
 * re-opens its failed claim and every status of the re-run names the replay. Any other dead letter
 * (router, aggregator, ...) is re-produced byte for byte to its original topic.
 */
import { InvalidInputError } from '@notify/errors';
import { dispatchTopic, isChannel, topicSpec, type Dispatch, type DispatchTopic, type TopicName } from '@notify/schemas';
import type { DlqEntry } from './dlq-store';

export type DecodeDispatch = (topic: TopicName, bytes: Buffer) => Promise<unknown>;

export type ReplayPlan =
  | { kind: 'dispatch'; topic: DispatchTopic; key: string; original: Dispatch }
  | { kind: 'raw'; topic: TopicName; key: string | null; value: Buffer };

/** Why a dead letter cannot be replayed; answered as 409 with this code. */
export interface ReplayRefusal {
  kind: 'refused';
  code: 'nothing_to_replay' | 'unknown_topic' | 'undecodable';
  message: string;
}

function refused(code: ReplayRefusal['code'], message: string): ReplayRefusal {
  return { kind: 'refused', code, message };
}

/**
 * Decoding failures of the bytes themselves refuse the replay (they would only be dead-lettered
 * again); a registry that cannot be reached throws, so the operator retries later.
 */
export async function planReplay(
  entry: Pick<DlqEntry, 'original' | 'original_topic' | 'original_key'>,
  decode: DecodeDispatch,
): Promise<ReplayPlan | ReplayRefusal> {
  if (!entry.original) return refused('nothing_to_replay', 'the dead letter carries no original value');
  const spec = topicSpec(entry.original_topic);
  if (!spec) return refused('unknown_topic', `${entry.original_topic} is not a topic of this platform`);
  if (spec.schema !== 'Dispatch') return { kind: 'raw', topic: spec.name, key: entry.original_key, value: entry.original };
  let original: Dispatch;
  try {
    original = (await decode(spec.name, entry.original)) as Dispatch;
  } catch (error) {
    if (error instanceof InvalidInputError) return refused('undecodable', `the original Dispatch cannot be read: ${error.message}`);
    throw error;
  }
  const { channel } = original;
  if (!isChannel(channel)) return refused('undecodable', `the original Dispatch names no known channel (${channel})`);
  return { kind: 'dispatch', topic: dispatchTopic(channel), key: original.recipient, original };
}

/** The Dispatch a replay sends: the original's content, its retries reset, numbered as the n-th replay. */
export function replayedDispatch(original: Dispatch, replay: number): Dispatch {
  return { ...original, attempt: 0, not_before: 0, replay };
}
