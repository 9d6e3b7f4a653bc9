/**
 * The console's live inbox is the browser client @notify/inbox-client, served as its build (dist/)
 * under /console/inbox-client/, with its service worker at /console/service-worker.js so the worker's
 * scope covers the console. The build runs in scripts/test.sh, scripts/demo.sh and the image; the
 * API refuses to start without it, or with a build older than the client's source, rather than serve a
 * console whose inbox is missing or out of date.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const BUILD_COMMAND = 'npm run build -w @notify/inbox-client';
const OUTPUTS = ['inbox-client.js', 'service-worker.js'];

function newestSourceMs(packageDir: string): number {
  const src = join(packageDir, 'src');
  if (!existsSync(src)) return 0;
  let newest = 0;
  for (const name of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(src, name)).mtimeMs);
  }
  return newest;
}

/** The client's dist directory, after checking that it holds a build of the current source. */
export function inboxClientDist(packageJson: string = require.resolve('@notify/inbox-client/package.json')): string {
  const packageDir = dirname(packageJson);
  const dist = join(packageDir, 'dist');
  const missing = OUTPUTS.filter((file) => !existsSync(join(dist, file)));
  if (missing.length > 0)
    throw new Error(`the browser inbox client is not built (${missing.join(', ')} missing in ${dist}): run \`${BUILD_COMMAND}\``);
  const builtMs = Math.min(...OUTPUTS.map((file) => statSync(join(dist, file)).mtimeMs));
  if (newestSourceMs(packageDir) > builtMs)
    throw new Error(`the browser inbox client's build in ${dist} is older than its source: run \`${BUILD_COMMAND}\``);
  return dist;
}

export async function registerInboxClientFiles(app: FastifyInstance, dist: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/console/inbox-client/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.js'),
  });
  app.get('/console/service-worker.js', (_request, reply) => reply.sendFile('service-worker.js', dist));
}
