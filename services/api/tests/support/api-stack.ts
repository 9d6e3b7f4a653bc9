/**
 * Runs API replicas in this process through main() (the production wiring) against the real stack,
 * in a Kafka namespace of their own that is provisioned here and dropped at the end.
 */
import { TEST_PERSONAL_DATA_ENV } from '../../../../tests/support/test-keys';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb, PersonalKeys } from '@notify/db';
import { parseSealingKeys, Sealer } from '@notify/schemas';
import { signUserToken } from '../../src/auth';
import { main, type ApiService } from '../../src/main';
import { dropNamespace, provision } from '../../../../scripts/src/provision';
import { stackEnv } from '../../../../scripts/src/stack-env';
import { waitFor } from '../../../../tests/support/wait';

export interface ApiStack {
  namespace: string;
  topic(name: string): string;
  secret: string;
  env: Record<string, string>;
  replicas: ApiService[];
  url(replica?: number): string;
  userToken(tenant: string, userId: string): string;
  /** An operator of `tenant` (default `ops`): acts within that tenant only. */
  operatorToken(tenant?: string): string;
  /** The installation's administrator (role `platform`, tenant `ops`): acts across tenants, audited. */
  platformToken(): string;
  /** `value` with the contact points sealed for `recipient` (`<tenant>/<user_id>`) opened, as a channel worker opens them. */
  openPersonal<T>(value: T, recipient: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startApiStack(options: { replicas?: number; env?: Record<string, string> } = {}): Promise<ApiStack> {
  const namespace = `t-api-${randomUUID().slice(0, 8)}.`;
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  const secret = randomBytes(32).toString('base64url');
  const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers.join(','),
    SCHEMA_REGISTRY_URL: registryUrl,
    DATABASE_URL: databaseUrl,
    KAFKA_NAMESPACE: namespace,
    JWT_SECRET: secret,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '4',
    CODE_HASH_SECRET: randomBytes(32).toString('base64url'),
    SEALING_KEYS: `test:${randomBytes(32).toString('base64')}`,
    ...TEST_PERSONAL_DATA_ENV,
    ...options.env,
  };
  const replicas: ApiService[] = [];
  const keysDb = createDb(databaseUrl, 1);
  const personal = new PersonalKeys(keysDb, new Sealer(parseSealingKeys(env.DATA_KEYS as string)));
  const stop = async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await keysDb.destroy();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
  };
  try {
    for (let i = 0; i < (options.replicas ?? 1); i++) replicas.push(await main(env));
    for (const r of replicas) {
      await waitFor(
        'api replica ready',
        async () => ((await fetch(`http://127.0.0.1:${r.httpPort}/health/ready`)).status === 200 ? true : undefined),
        60_000,
        200,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    namespace,
    topic: (name) => namespace + name,
    secret,
    env,
    replicas,
    url: (replica = 0) => `http://127.0.0.1:${(replicas[replica] as ApiService).httpPort}`,
    userToken: (tenant, userId) => signUserToken(secret, { tenant, userId, role: 'user' }, 3600),
    operatorToken: (tenant = 'ops') => signUserToken(secret, { tenant, userId: 'operator-1', role: 'operator' }, 3600),
    platformToken: () => signUserToken(secret, { tenant: 'ops', userId: 'platform-1', role: 'platform' }, 3600),
    openPersonal: (value, recipient) => personal.openAll(value, recipient),
    stop,
  };
}
