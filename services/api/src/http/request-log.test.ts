import { Writable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import { logRequests } from './request-log';

describe('logRequests', () => {
  it('logs the route pattern and status, never the URL with its query string', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream }, logController: new LogController({ disableRequestLogging: true }) });
    logRequests(app);
    app.get('/v1/things/:id', async () => ({ ok: true }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });

    const res = await fetch(`${base}/v1/things/+15551234567?token=eyJhbGciOiJIUzI1NiJ9.secret.sig`);
    await (await fetch(`${base}/nowhere?token=another-secret`)).text();
    await res.text();
    await app.close();

    expect(res.status).toBe(200);
    const logged = lines.join('');
    expect(logged).not.toMatch(/secret|\+15551234567|token=/);
    const entries = lines.map((l) => JSON.parse(l) as { msg: string; route?: string; status?: number; method?: string });
    expect(entries.filter((e) => e.msg === 'request').map((e) => [e.method, e.route, e.status])).toEqual([
      ['GET', '/v1/things/:id', 200],
      ['GET', 'unmatched', 404],
    ]);
  });
});
