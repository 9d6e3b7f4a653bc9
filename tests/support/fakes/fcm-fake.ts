/**
 * A local FCM HTTP v1 service over HTTPS (certificate made at start-up), as Google runs it: an OAuth2
 * token endpoint that takes the JWT bearer grant only when the assertion is an RS256 JWT signed by
 * the service account's key, issued by its client_email, for this token endpoint, with the
 * firebase.messaging scope; and `POST /v1/projects/<project>/messages:send`, which takes only a live
 * access token it issued, checks the message as FCM does (token, string data values, 4 KB), answers
 * 404 UNREGISTERED for tokens made gone, and records each delivery. Scripted failures (failNext)
 * apply to messages:send only: the token endpoint is a server of its own, as oauth2.googleapis.com is.
 */
import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { generate } from 'selfsigned';
import { startScriptedServer, type FakeReply, type FakeRequest, type ScriptedServer } from './scripted-server';

export interface FcmDelivery {
  token: string;
  message: Record<string, any>;
  at: number;
}

export interface FcmFake extends ScriptedServer {
  /** PEM of the self-signed certificate of both servers, for the client's trust store. */
  certificate: string;
  projectId: string;
  /** A service account key file (JSON) whose token_uri is this fake's token endpoint. */
  serviceAccount: Record<string, string>;
  tokenUrl: string;
  /** Access tokens issued so far. */
  exchanges: number;
  deliveries: FcmDelivery[];
  /** Requests refused because their assertion, access token or message was wrong, with why. */
  rejected: string[];
  /** A registration token the fake knows (any string works; this one looks like FCM's). */
  newToken(): string;
  /** From now on the token answers 404 UNREGISTERED, like an uninstalled app's. */
  unregister(token: string): void;
}

/** An FCM HTTP v1 error body as Google sends it (error.details carries the FcmError code). */
export function fcmError(
  status: number,
  errorCode: string | null,
  googleStatus: string,
  message: string,
  headers: Record<string, string> = {},
): FakeReply {
  return {
    status,
    headers,
    body: {
      error: {
        code: status,
        message,
        status: googleStatus,
        details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
      },
    },
  };
}

const decode = (part: string): Record<string, any> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

export async function startFcmFake(options: { latencyMs?: number } = {}): Promise<FcmFake> {
  const pems = await generate([{ name: 'commonName', value: 'fake-fcm.localhost' }], {
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
  const tls = { key: pems.private, cert: pems.cert };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const projectId = `fake-project-${randomUUID().slice(0, 8)}`;
  const clientEmail = `notify@${projectId}.iam.gserviceaccount.com`;
  const issued = new Map<string, number>();
  const unregistered = new Set<string>();
  const deliveries: FcmDelivery[] = [];
  const rejected: string[] = [];
  let tokenUrl = '';
  let exchanges = 0;

  const refuse = (why: string, reply: FakeReply): FakeReply => {
    rejected.push(why);
    return reply;
  };

  const tokens = await startScriptedServer({
    tls,
    handle: (req: FakeRequest) => {
      const form = new URLSearchParams(req.body);
      if (req.method !== 'POST' || req.path !== '/token') return { status: 404, body: 'not found' };
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return refuse('grant_type', { status: 400, body: { error: 'unsupported_grant_type' } });
      const [header = '', claims = '', signature = ''] = (form.get('assertion') ?? '').split('.');
      try {
        const h = decode(header);
        const c = decode(claims);
        const now = Date.now() / 1000;
        const problems = [
          h.alg !== 'RS256' && `alg ${h.alg}`,
          !verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url')) &&
            'signature does not verify',
          c.iss !== clientEmail && `iss ${c.iss}`,
          c.aud !== tokenUrl && `aud ${c.aud}`,
          !String(c.scope ?? '')
            .split(' ')
            .includes('https://www.googleapis.com/auth/firebase.messaging') && `scope ${c.scope}`,
          !(typeof c.iat === 'number' && c.iat <= now + 60 && typeof c.exp === 'number' && c.exp > now && c.exp - c.iat <= 3600) &&
            'iat/exp',
        ].filter(Boolean);
        if (problems.length > 0)
          return refuse(`assertion: ${problems.join(', ')}`, {
            status: 400,
            body: { error: 'invalid_grant', error_description: `Invalid JWT: ${problems.join(', ')}` },
          });
      } catch (error) {
        return refuse(`assertion: ${String(error)}`, { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT' } });
      }
      const accessToken = `ya29.fake-${randomUUID()}`;
      issued.set(accessToken, Date.now() + 3600_000);
      exchanges += 1;
      return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
    },
  });
  tokenUrl = `${tokens.url}/token`;

  const sendPath = `/v1/projects/${projectId}/messages:send`;
  const server = await startScriptedServer({
    ...options,
    tls,
    handle: (req: FakeRequest) => {
      if (req.method !== 'POST' || req.path !== sendPath) return fcmError(404, null, 'NOT_FOUND', `no such method or project: ${req.path}`);
      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const expires = bearer ? issued.get(bearer) : undefined;
      if (!expires || expires < Date.now())
        return refuse('access token', fcmError(401, null, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
      let message: Record<string, any>;
      try {
        message = (JSON.parse(req.body) as { message: Record<string, any> }).message;
      } catch {
        return refuse('body', fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
      }
      const data = message.data ?? {};
      const problems = [
        typeof message.token !== 'string' && 'message.token',
        Object.values(data).some((v) => typeof v !== 'string') && 'message.data values must be strings',
        Buffer.byteLength(JSON.stringify({ notification: message.notification, data, android: message.android?.notification })) > 4096 &&
          'message is too big',
      ].filter(Boolean);
      if (problems.length > 0)
        return refuse(
          `message: ${problems.join(', ')}`,
          fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', `Invalid value: ${problems.join(', ')}`),
        );
      if (unregistered.has(message.token)) return fcmError(404, 'UNREGISTERED', 'NOT_FOUND', 'Requested entity was not found.');
      deliveries.push({ token: message.token, message, at: Date.now() });
      return { status: 200, body: { name: `projects/${projectId}/messages/${randomUUID()}` } };
    },
  });

  return {
    ...server,
    close: async () => {
      await Promise.all([server.close(), tokens.close()]);
    },
    certificate: pems.cert,
    projectId,
    tokenUrl,
    serviceAccount: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: randomUUID().replace(/-/g, ''),
      client_email: clientEmail,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: tokenUrl,
    },
    get exchanges() {
      return exchanges;
    },
    deliveries,
    rejected,
    newToken: () => `${randomUUID().replace(/-/g, '')}:APA91b${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`,
    unregister: (token) => {
      unregistered.add(token);
    },
  };
}
