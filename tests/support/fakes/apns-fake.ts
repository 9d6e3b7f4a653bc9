/**
 * A local APNs provider API: HTTP/2 only, over TLS with a certificate made at start-up. It takes
 * `POST /3/device/<token>` only with a provider token that is an ES256 JWT signed by the app's .p8
 * key (kid = key id, iss = team id, iat within the hour) and the headers APNs requires (apns-topic of
 * a known bundle id, apns-push-type, apns-priority, apns-expiration, apns-collapse-id of at most 64
 * bytes, a payload of at most 4 KB with an `aps` dictionary), answering as APNs does: 200 with an
 * apns-id, 410 Unregistered for tokens made gone, 400 BadDeviceToken for tokens marked bad,
 * 403 InvalidProviderToken / ExpiredProviderToken, and records each delivery.
 */
import { generateKeyPairSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { generate } from 'selfsigned';
import { startScriptedServer, type FakeReply, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface ApnsDelivery {
  token: string;
  headers: Record<string, string>;
  payload: Record<string, any>;
  at: number;
}

export interface ApnsFake extends ScriptedServer {
  certificate: string;
  /** The .p8 key (PKCS#8 PEM) and its ids, as Apple's developer site gives them. */
  keyPem: string;
  keyId: string;
  teamId: string;
  bundleId: string;
  deliveries: ApnsDelivery[];
  rejected: string[];
  newToken(): string;
  /** 410 Unregistered from now on. */
  unregister(token: string): void;
  /** 400 BadDeviceToken from now on (a sandbox token sent to production, say). */
  markBad(token: string): void;
}

export function apnsError(status: number, reason: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers, body: status === 410 ? { reason, timestamp: Date.now() } : { reason } };
}

const decode = (part: string): Record<string, any> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const header = (req: FakeRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function startApnsFake(options: { latencyMs?: number; bundleId?: string } = {}): Promise<ApnsFake> {
  const pems = await generate([{ name: 'commonName', value: 'fake-apns.localhost' }], {
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
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = randomBytes(5).toString('hex').toUpperCase();
  const teamId = randomBytes(5).toString('hex').toUpperCase();
  const bundleId = options.bundleId ?? 'com.example.trading';
  const unregistered = new Set<string>();
  const bad = new Set<string>();
  const deliveries: ApnsDelivery[] = [];
  const rejected: string[] = [];
  const refuse = (why: string, reply: FakeReply): FakeReply => {
    rejected.push(why);
    return reply;
  };

  const server = await startScriptedServer({
    ...options,
    tls: { key: pems.private, cert: pems.cert },
    http2: true,
    handle: (req: FakeRequest) => {
      const token = /^\/3\/device\/([^/?]+)$/.exec(req.path)?.[1];
      if (req.method !== 'POST' || !token) return apnsError(405, 'MethodNotAllowed');
      const jwt = /^bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
      if (!jwt) return refuse('no provider token', apnsError(403, 'MissingProviderToken'));
      const [h = '', c = '', signature = ''] = jwt.split('.');
      try {
        const head = decode(h);
        const claims = decode(c);
        const signed = verify(
          'sha256',
          Buffer.from(`${h}.${c}`),
          { key: publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(signature, 'base64url'),
        );
        if (head.alg !== 'ES256' || head.kid !== keyId || claims.iss !== teamId || !signed)
          return refuse('provider token', apnsError(403, 'InvalidProviderToken'));
        if (typeof claims.iat !== 'number' || claims.iat * 1000 < Date.now() - 3600_000 || claims.iat * 1000 > Date.now() + 60_000)
          return refuse('iat', apnsError(403, 'ExpiredProviderToken'));
      } catch (error) {
        return refuse(`provider token: ${String(error)}`, apnsError(403, 'InvalidProviderToken'));
      }
      const topic = header(req, 'apns-topic');
      if (!topic) return refuse('no topic', apnsError(400, 'MissingTopic'));
      if (topic !== bundleId) return refuse(`topic ${topic}`, apnsError(400, 'DeviceTokenNotForTopic'));
      if (header(req, 'apns-push-type') !== 'alert') return refuse('push type', apnsError(400, 'InvalidPushType'));
      if (!['5', '10'].includes(header(req, 'apns-priority') ?? '')) return refuse('priority', apnsError(400, 'BadPriority'));
      if (!/^\d+$/.test(header(req, 'apns-expiration') ?? '')) return refuse('expiration', apnsError(400, 'BadExpirationDate'));
      const collapse = header(req, 'apns-collapse-id');
      if (collapse !== undefined && Buffer.byteLength(collapse) > 64) return refuse('collapse id', apnsError(400, 'BadCollapseId'));
      if (req.raw.length > 4096) return refuse(`payload ${req.raw.length} bytes`, apnsError(413, 'PayloadTooLarge'));
      let payload: Record<string, any>;
      try {
        payload = JSON.parse(req.body);
      } catch {
        return refuse('payload JSON', apnsError(400, 'PayloadEmpty'));
      }
      if (payload.aps === null || typeof payload.aps !== 'object') return refuse('no aps', apnsError(400, 'PayloadEmpty'));
      if (bad.has(token) || !/^[0-9a-f]{64}$/.test(token)) return apnsError(400, 'BadDeviceToken');
      if (unregistered.has(token)) return apnsError(410, 'Unregistered');
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k.startsWith('apns-'))
          .map(([k, v]) => [k, String(v)]),
      );
      deliveries.push({ token, headers, payload, at: Date.now() });
      return { status: 200, headers: { 'apns-id': randomUUID().toUpperCase() } };
    },
  });

  return {
    ...server,
    certificate: pems.cert,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyId,
    teamId,
    bundleId,
    deliveries,
    rejected,
    newToken: () => randomBytes(32).toString('hex'),
    unregister: (token) => {
      unregistered.add(token);
    },
    markBad: (token) => {
      bad.add(token);
    },
  };
}
