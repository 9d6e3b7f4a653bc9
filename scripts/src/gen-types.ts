/**
 * Regenerates schemas/src/generated from schemas/avro. Run with `npm run gen`; `--check` fails
 * when the committed output differs, which is how CI keeps the two from drifting.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, basename } from 'node:path';
import { avroToTypeScript } from './avro-to-ts';

const root = join(__dirname, '..', '..', 'schemas');
const avroDir = join(root, 'avro');
const outDir = join(root, 'src', 'generated');
const HEADER = '// Generated from schemas/avro by `npm run gen`. Do not edit by hand.';

export function generate(): Map<string, string> {
  const files = new Map<string, string>();
  const names: string[] = [];
  for (const file of readdirSync(avroDir)
    .filter((f) => f.endsWith('.avsc'))
    .sort()) {
    const name = basename(file, '.avsc');
    const schema = JSON.parse(readFileSync(join(avroDir, file), 'utf8'));
    files.set(`${name}.ts`, avroToTypeScript(schema, HEADER));
    names.push(name);
  }
  const index = names.map((n) => `export * as ${n}Types from './${n}';\nexport type { ${n} } from './${n}';`).join('\n');
  files.set('index.ts', `${HEADER}\n${index}\n`);
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  const files = generate();
  if (check) {
    const stale = [...files].filter(([f, code]) => {
      const path = join(outDir, f);
      return !existsSync(path) || readFileSync(path, 'utf8') !== code;
    });
    if (stale.length > 0) {
      console.error(`generated types are stale: ${stale.map(([f]) => f).join(', ')}; run npm run gen`);
      process.exit(1);
    }
    console.log('generated types are up to date');
    return;
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [f, code] of files) writeFileSync(join(outDir, f), code);
  console.log(`wrote ${files.size} files to ${outDir}`);
}

if (require.main === module) main();
