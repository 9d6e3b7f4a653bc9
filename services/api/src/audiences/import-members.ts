/**
 * Streams an import body into an audience: lines are read as they arrive and their ids added a batch
 * at a time, each batch awaited before more of the body is read. Memory holds one batch of ids and the
 * first few invalid lines, however long the body.
 */
import type { Line } from './line-reader';
import { parseMemberLine, type ImportFormat } from './member-lines';

export interface ImportSummary {
  /** Lines read, blank ones included. */
  lines: number;
  added: number;
  /** Ids that were members already, or named again in the same body. */
  already_members: number;
  invalid: number;
  /** The first invalid lines, with why; `invalid` counts them all. */
  invalid_lines: Array<{ line: number; reason: string }>;
}

/** Adds one batch of ids (possibly repeated) and resolves with how many were not members before. */
export type AddBatch = (userIds: string[]) => Promise<number>;

export interface ImportLimits {
  batchSize: number;
  maxReportedInvalid: number;
}

/** The import stopped part way; batches before `progress` are saved and published. */
export class ImportInterruptedError extends Error {
  constructor(
    readonly progress: ImportSummary,
    cause: unknown,
  ) {
    super(`import stopped after line ${progress.lines}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ImportInterruptedError';
  }
}

export async function importMembers(
  lines: AsyncIterable<Line>,
  format: ImportFormat,
  addBatch: AddBatch,
  limits: ImportLimits,
): Promise<ImportSummary> {
  const summary: ImportSummary = { lines: 0, added: 0, already_members: 0, invalid: 0, invalid_lines: [] };
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const ids = batch;
    batch = [];
    const added = await addBatch(ids);
    summary.added += added;
    summary.already_members += ids.length - added;
  };
  try {
    for await (const line of lines) {
      summary.lines = line.number;
      const parsed = line.text === null ? { kind: 'invalid' as const, reason: 'is too long' } : parseMemberLine(line.text, format);
      if (parsed.kind === 'member') {
        batch.push(parsed.userId);
        if (batch.length >= limits.batchSize) await flush();
      } else if (parsed.kind === 'invalid') {
        summary.invalid += 1;
        if (summary.invalid_lines.length < limits.maxReportedInvalid)
          summary.invalid_lines.push({ line: line.number, reason: parsed.reason });
      }
    }
    await flush();
  } catch (error) {
    throw new ImportInterruptedError(summary, error);
  }
  return summary;
}
