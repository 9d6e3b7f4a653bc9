/**
 * A local push service (RFC 8030) over HTTPS with a certificate made at start-up. It hands out
 * subscriptions with real P-256 keys and auth secrets, and for each push message it checks the VAPID
 * Authorization header (RFC 8292: ES256 JWT whose audience is this origin, signed by the key in `k=`)
 * and decrypts the aes128gcm body (RFC 8188/8291) with the subscription's private key, as a browser
 * would. Subscriptions can be made gone (410), like an unsubscribed browser.
 */
import { createECDH, createDecipheriv, createPublicKey, hkdfSync, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { generate } from 'selfsigned';
import { startScriptedServer, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushDelivery {
  subscriptionId: string;
  payload: unknown;
  ttl: string | undefined;
  urgency: string | undefined;
  vapid: { subject: string; publicKey: string };
}

export interface PushFake extends ScriptedServer {
  /** PEM of the self-signed certificate, for the client's trust store. */
  certificate: string;
  subscribe(): FakeSubscription;
  /** From now on the subscription answers 410 Gone. */
  unsubscribe(subscription: FakeSubscription): void;
  deliveries: PushDelivery[];
  /** Requests refused for bad VAPID or undecryptable bodies, with why. */
  rejected: string[];
}

interface Keys {
  ecdh: ECDH;
  auth: Buffer;
}

const b64url = (b: Buffer): string => b.toString('base64url');

function verifyVapid(authorization: string | undefined, origin: string): { subject: string; publicKey: string } {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error('missing or malformed vapid Authorization header');
  const [, token = '', k = ''] = match;
  const [header = '', claims = '', signature = ''] = token.split('.');
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 public key');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33)) },
    format: 'jwk',
  });
  if (!verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url')))
    throw new Error('vapid JWT signature does not verify');
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
  if (alg !== 'ES256') throw new Error(`vapid alg ${alg}`);
  if (body.aud !== origin) throw new Error(`vapid aud ${body.aud} is not ${origin}`);
  if (typeof body.exp !== 'number' || body.exp * 1000 < Date.now() || body.exp * 1000 > Date.now() + 24 * 3600 * 1000)
    throw new Error('vapid exp out of range');
  if (!body.sub) throw new Error('vapid sub missing');
  return { subject: body.sub, publicKey: k };
}

/** RFC 8291 decryption of a single-record aes128gcm body. */
function decrypt(body: Buffer, keys: Keys): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = keys.ecdh.computeSecret(senderPublic);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, keys.auth, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('last record lacks the 0x02 padding delimiter');
  return padded.subarray(0, end);
}

export async function startPushFake(options: { latencyMs?: number } = {}): Promise<PushFake> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const subscriptions = new Map<string, Keys>();
  const gone = new Set<string>();
  const deliveries: PushDelivery[] = [];
  const rejected: string[] = [];
  let origin = '';
  const server = await startScriptedServer({
    ...options,
    tls: { key: pems.private, cert: pems.cert },
    handle: (req: FakeRequest) => {
      const id = /^\/push\/([^/?]+)$/.exec(req.path)?.[1] ?? '';
      const keys = subscriptions.get(id);
      if (req.method !== 'POST' || !keys) return { status: 404, body: 'no such subscription' };
      if (gone.has(id)) return { status: 410, body: 'push subscription has unsubscribed or expired' };
      try {
        const vapid = verifyVapid(String(req.headers.authorization ?? ''), origin);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${String(req.headers['content-encoding'])}`);
        const payload: unknown = JSON.parse(decrypt(req.raw, keys).toString('utf8'));
        deliveries.push({
          subscriptionId: id,
          payload,
          ttl: req.headers.ttl as string | undefined,
          urgency: req.headers.urgency as string | undefined,
          vapid,
        });
        return { status: 201, headers: { location: `${origin}/message/${randomUUID()}` } };
      } catch (error) {
        rejected.push(String(error));
        return { status: 400, body: String(error) };
      }
    },
  });
  origin = server.url;
  return {
    ...server,
    certificate: pems.cert,
    deliveries,
    rejected,
    subscribe: () => {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscriptions.set(id, { ecdh, auth });
      return { endpoint: `${server.url}/push/${id}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    unsubscribe: (subscription) => {
      gone.add(subscription.endpoint.split('/').pop() ?? '');
    },
  };
}
