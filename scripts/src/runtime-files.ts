/**
 * What a production install holds besides node_modules and the package manifests: each workspace's
 * package.json `files` (its compiled dist/ and the assets it reads at run time, such as the Avro
 * schemas or the channel templates), copied to the same relative paths under a destination.
 *
 *   tsx scripts/src/runtime-files.ts <dest> <workspace dir>...
 *
 * copies the named workspaces and every @notify/* package they depend on. The Dockerfile's build
 * stage runs it for all deployables; tests/deploy/production-install.test.ts runs it for one service,
 * so the test installs exactly what the image does. Reading `files` rather than a list kept here means
 * a package says in one place what it needs at run time (and `npm pack` would agree).
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  name: string;
  files?: string[];
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace folder of the repository at `root`, relative to it, in the order package.json lists them. */
export function workspaceDirs(root: string): string[] {
  return (readManifest(root).workspaces ?? []).flatMap((pattern) => {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`)
      : [pattern];
    return dirs.filter((d) => existsSync(join(root, d, 'package.json')));
  });
}

/** The given workspaces and, transitively, the workspaces their runtime `dependencies` name. */
export function runtimeClosure(root: string, dirs: readonly string[]): string[] {
  const byName = new Map(workspaceDirs(root).map((d) => [readManifest(join(root, d)).name, d]));
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const dependency of Object.keys(readManifest(join(root, dir)).dependencies ?? {})) {
      const workspace = byName.get(dependency);
      if (workspace !== undefined) visit(workspace);
    }
  };
  dirs.forEach(visit);
  return [...seen].sort();
}

/** Copies the runtime files of `dirs` and their workspace dependencies from `root` to `dest`. */
export function copyRuntimeFiles(root: string, dirs: readonly string[], dest: string): string[] {
  const closure = runtimeClosure(root, dirs);
  for (const dir of closure) {
    const { name, files } = readManifest(join(root, dir));
    // A package without `files` would ship nothing, and fail only when its first import does.
    if (!files || files.length === 0) throw new Error(`${dir}/package.json (${name}) lists no runtime "files"`);
    for (const file of files) {
      const from = join(root, dir, file);
      if (!existsSync(from)) throw new Error(`${dir}/${file} is missing: run \`npm run build\` first`);
      cpSync(from, join(dest, dir, file), { recursive: true });
    }
  }
  return closure;
}

if (require.main === module) {
  const [dest, ...dirs] = process.argv.slice(2);
  if (dest === undefined || dirs.length === 0) {
    console.error('usage: tsx scripts/src/runtime-files.ts <dest> <workspace dir>...');
    process.exit(2);
  }
  const copied = copyRuntimeFiles(process.cwd(), dirs, dest);
  console.log(`runtime files of ${copied.length} workspaces copied to ${dest}: ${copied.join(' ')}`);
}
