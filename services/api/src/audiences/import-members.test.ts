import { ImportInterruptedError, importMembers } from './import-members';
import type { Line } from './line-reader';

async function* numbered(...texts: Array<string | null>): AsyncGenerator<Line> {
  for (const [i, text] of texts.entries()) yield { number: i + 1, text };
}

/** An audience kept in a set: adding answers how many ids of the batch were new. */
function audience() {
  const members = new Set<string>();
  const batches: string[][] = [];
  const add = async (ids: string[]) => {
    batches.push(ids);
    let added = 0;
    for (const id of ids) {
      if (!members.has(id)) added += 1;
      members.add(id);
    }
    return added;
  };
  return { members, batches, add };
}

describe('importMembers', () => {
  it('adds the ids in batches of the given size and counts added, already members and invalid lines', async () => {
    const a = audience();
    a.members.add('u2');
    const summary = await importMembers(numbered('u1', '', 'u2', 'a/b', 'u3', 'u1', null, 'u4', 'u5'), 'text', a.add, {
      batchSize: 2,
      maxReportedInvalid: 10,
    });
    expect(a.batches).toEqual([
      ['u1', 'u2'],
      ['u3', 'u1'],
      ['u4', 'u5'],
    ]);
    expect(summary).toEqual({
      lines: 9,
      added: 4,
      already_members: 2,
      invalid: 2,
      invalid_lines: [
        { line: 4, reason: 'user id must not contain /' },
        { line: 7, reason: 'is too long' },
      ],
    });
  });

  it('reports only the first invalid lines but counts them all', async () => {
    const a = audience();
    const summary = await importMembers(numbered('{', '{', '"ok"', '{'), 'ndjson', a.add, { batchSize: 100, maxReportedInvalid: 2 });
    expect(summary).toMatchObject({
      lines: 4,
      added: 1,
      invalid: 3,
      invalid_lines: [
        { line: 1, reason: 'is not JSON' },
        { line: 2, reason: 'is not JSON' },
      ],
    });
  });

  it('reads no further than the batch being added', async () => {
    const read: number[] = [];
    async function* tracked(): AsyncGenerator<Line> {
      for (let n = 1; n <= 6; n++) {
        read.push(n);
        yield { number: n, text: `u${n}` };
      }
    }
    const seenWhenAdding: number[] = [];
    await importMembers(
      tracked(),
      'text',
      async (ids) => {
        seenWhenAdding.push(read.length);
        return ids.length;
      },
      { batchSize: 3, maxReportedInvalid: 10 },
    );
    expect(seenWhenAdding).toEqual([3, 6]);
  });

  it('stops at a failed batch with the progress made before it', async () => {
    let calls = 0;
    const failing = async (ids: string[]) => {
      calls += 1;
      if (calls === 2) throw new Error('kafka is down');
      return ids.length;
    };
    const attempt = importMembers(numbered('u1', 'u2', 'u3', 'u4', 'u5'), 'text', failing, { batchSize: 2, maxReportedInvalid: 10 });
    await expect(attempt).rejects.toBeInstanceOf(ImportInterruptedError);
    const error = (await attempt.catch((e: unknown) => e)) as ImportInterruptedError;
    expect(error.progress).toMatchObject({ lines: 4, added: 2, already_members: 0 });
    expect(error.message).toBe('import stopped after line 4: kafka is down');
  });
});
