/** Just enough of a Dockerfile parser to compare its stages with the services they should run. */
import { readFileSync } from 'node:fs';

export interface Stage {
  name: string | null;
  from: string;
  /** Exec-form CMD of this stage itself; null when the stage sets none or uses shell form. */
  cmd: string[] | null;
  user: string | null;
  copies: string[][];
  runs: string[];
}

export function parseDockerfile(file: string): Stage[] {
  // Join continuation lines, drop comments and parser directives.
  const logical = readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = (match[1] ?? '').toUpperCase();
    const rest = match[2] ?? '';
    if (instruction === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`${file}: cannot read "${line}"`);
      stages.push({ name: from[2] ?? null, from: from[1] ?? '', cmd: null, user: null, copies: [], runs: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${file}: "${line}" before the first FROM`);
    if (instruction === 'CMD') stage.cmd = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : null;
    else if (instruction === 'USER') stage.user = rest.trim();
    else if (instruction === 'RUN') stage.runs.push(rest);
    else if (instruction === 'COPY') stage.copies.push(rest.split(/\s+/).filter((w) => !w.startsWith('--')));
  }
  return stages;
}

/** A stage and the stages it is built FROM, nearest first. */
export function lineage(stages: readonly Stage[], stage: Stage): Stage[] {
  const chain = [stage];
  let current = stage;
  for (;;) {
    const parent = stages.find((s) => s.name !== null && s.name === current.from);
    if (!parent || chain.includes(parent)) return chain;
    chain.push(parent);
    current = parent;
  }
}
