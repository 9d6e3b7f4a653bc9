/** The code examples of a README, so a test runs exactly what a reader would copy. */
import { readFileSync } from 'node:fs';

/** The first ```lang block under the `## heading` section (before the next `## `). */
export function fencedBlock(readmePath: string, heading: string, lang: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`${readmePath} has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(section);
  if (!block?.[1]) throw new Error(`"## ${heading}" in ${readmePath} has no \`\`\`${lang} block`);
  return block[1];
}
