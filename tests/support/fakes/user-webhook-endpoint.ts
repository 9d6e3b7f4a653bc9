/**
 * A user's own webhook endpoint, as a person would run one: HTTPS (the API accepts only https URLs
 * for it) with a certificate made at start-up, answering 204 to everything and keeping each request,
 * so a test can check which secrets signed it. The channel-webhook process trusts the certificate.
 */
import { generate } from 'selfsigned';
import { startScriptedServer, type ScriptedServer } from './scripted-server';

export interface UserWebhookEndpoint extends ScriptedServer {
  /** The PEM certificate the endpoint serves, for the webhook worker to trust. */
  certificate: string;
}

export async function startUserWebhookEndpoint(): Promise<UserWebhookEndpoint> {
  const pems = await generate([{ name: 'commonName', value: 'user-webhook.localhost' }], {
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
  const server = await startScriptedServer({ tls: { key: pems.private, cert: pems.cert }, handle: () => ({ status: 204 }) });
  return { ...server, certificate: pems.cert };
}
