import Fastify, { type FastifyInstance } from 'fastify';
import { unsubscribeUrl } from '@notify/schemas';
import { installErrorHandlers } from '../http/errors';
import { registerUnsubscribeRoutes } from './unsubscribe-routes';

const SECRET = 'unsubscribe-routes-test-secret';

const errorCode = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

describe('/v1/unsubscribe', () => {
  let app: FastifyInstance;
  let base: string;
  let turnedOff: string[];

  async function serve(secret: string): Promise<void> {
    turnedOff = [];
    app = Fastify({ logger: false });
    installErrorHandlers(app);
    registerUnsubscribeRoutes(app, {
      secret,
      turnOff: async (tenant, userId, channel) => {
        turnedOff.push(`${tenant}/${userId}:${channel}`);
      },
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  }

  afterEach(async () => {
    await app.close();
  });

  const link = (secret: string, recipient = 'acme/u1', channel = 'email') =>
    unsubscribeUrl(`${base}/v1/unsubscribe`, secret, recipient, channel);
  const oneClick = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'List-Unsubscribe=One-Click',
    });

  it('GET shows a confirmation page that posts back to the same link, and changes nothing', async () => {
    await serve(SECRET);
    const res = await fetch(link(SECRET));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await res.text();
    expect(page).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(page).toContain('Unsubscribe from email notifications?');
    expect(turnedOff).toEqual([]);
  });

  it('POST one-click turns the signed channel off for the signed recipient, without a token', async () => {
    await serve(SECRET);
    const res = await oneClick(link(SECRET, 'acme/u 1', 'sms'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unsubscribed: true, channel: 'sms' });
    expect(turnedOff).toEqual(['acme/u 1:sms']);

    const browser = await oneClick(link(SECRET), { accept: 'text/html,application/xhtml+xml' });
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('You are unsubscribed');
    expect(turnedOff).toEqual(['acme/u 1:sms', 'acme/u1:email']);
  });

  it('accepts one-click bodies in any encoding and none at all', async () => {
    await serve(SECRET);
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(link(SECRET), { method: 'POST', body: multipart })).status).toBe(200);
    expect((await fetch(link(SECRET), { method: 'POST' })).status).toBe(200);
    expect(turnedOff).toHaveLength(2);
  });

  it('refuses tampered, foreign and unsigned links with JSON errors and changes nothing', async () => {
    await serve(SECRET);
    const good = new URL(link(SECRET));
    const forged = new URL(good);
    forged.searchParams.set('r', 'acme/u2');
    const otherChannel = new URL(good);
    otherChannel.searchParams.set('c', 'sms');
    for (const url of [forged.href, otherChannel.href, link('another-secret')]) {
      for (const res of [await fetch(url), await oneClick(url)]) {
        expect(res.status).toBe(403);
        expect(await res.json()).toEqual({ error: { code: 'invalid_signature', message: 'this unsubscribe link is not valid' } });
      }
    }
    const unsigned = await oneClick(link(''));
    expect(unsigned.status).toBe(400);
    expect(await errorCode(unsigned)).toBe('invalid_request');
    const unknownChannel = await oneClick(unsubscribeUrl(`${base}/v1/unsubscribe`, SECRET, 'acme/u1', 'fax'));
    expect(unknownChannel.status).toBe(400);
    expect(turnedOff).toEqual([]);
  });

  it('refuses every link while the server has no secret', async () => {
    await serve('');
    for (const res of [await fetch(link(SECRET)), await oneClick(link(SECRET)), await oneClick(link(''))]) {
      expect(res.status).toBe(503);
      expect(await errorCode(res)).toBe('unsubscribe_unavailable');
    }
    expect(turnedOff).toEqual([]);
  });
});
