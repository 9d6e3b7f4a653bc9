/**
 * A Google service account key file, checked at start: the fields the OAuth2 JWT bearer exchange
 * needs (client_email, private_key, token_uri) and the Firebase project to send for (project_id).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';

export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  privateKeyId: string | null;
  projectId: string;
  tokenUri: string;
}

export function parseServiceAccount(json: unknown, where: string): ServiceAccount {
  if (json === null || typeof json !== 'object') throw new Error(`${where}: a service account must be a JSON object`);
  const v = json as Record<string, unknown>;
  const missing = ['client_email', 'private_key', 'project_id'].filter((k) => typeof v[k] !== 'string' || v[k] === '');
  if (missing.length > 0)
    throw new Error(
      `${where}: the service account lacks ${missing.join(', ')} (download a key of type service_account from the Firebase console)`,
    );
  if (v.type !== undefined && v.type !== 'service_account') throw new Error(`${where}: type is ${String(v.type)}, not service_account`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(v.private_key as string);
  } catch (error) {
    throw new Error(`${where}: private_key is not a PEM private key (${error instanceof Error ? error.message : String(error)})`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new Error(`${where}: private_key is ${privateKey.asymmetricKeyType}, not the RSA key of a service account`);
  const tokenUri = typeof v.token_uri === 'string' && v.token_uri !== '' ? v.token_uri : GOOGLE_TOKEN_URI;
  try {
    new URL(tokenUri);
  } catch {
    throw new Error(`${where}: token_uri ${tokenUri} is not a URL`);
  }
  return {
    clientEmail: v.client_email as string,
    privateKey,
    privateKeyId: typeof v.private_key_id === 'string' && v.private_key_id !== '' ? v.private_key_id : null,
    projectId: v.project_id as string,
    tokenUri,
  };
}
