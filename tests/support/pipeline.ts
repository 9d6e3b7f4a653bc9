/**
 * Starts the whole pipeline (ingest, router, aggregator, webhook and in-app workers) as separate
 * processes against the running stack, with a rules directory and a signing webhook receiver.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { freePort } from './ports';
import { startServices, stopAll, type ServiceProcess } from './services';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export const SERVICES = ['ingest', 'router', 'aggregator', 'channel-webhook', 'channel-inapp'] as const;

export interface Pipeline {
  /** Prefix of this pipeline's own topics and groups: nothing it reads or writes is shared with another run. */
  namespace: string;
  /** Physical name of a logical topic in this pipeline's namespace. */
  topic(name: string): string;
  services: ServiceProcess[];
  receiver: WebhookReceiver;
  httpUrl: string;
  apiKey: string;
  rulesDir: string;
  stop(): Promise<void>;
}

export const WEBHOOK_SECRET = `whsec_${Buffer.from('e2e-webhook-secret-key-32-bytes!').toString('base64')}`;

export async function startPipeline(options: {
  tenant: string;
  rulesYaml: string;
  env?: Record<string, string>;
  namespace?: string;
}): Promise<Pipeline> {
  const namespace = options.namespace ?? `t-${randomUUID().slice(0, 8)}.`;
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  const receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  const rulesDir = mkdtempSync(join(tmpdir(), 'notify-rules-'));
  writeFileSync(join(rulesDir, 'rules.yaml'), options.rulesYaml);
  const httpPort = await freePort();
  const apiKey = `key-${options.tenant}`;
  const env: Record<string, string> = {
    RULES_PATH: rulesDir,
    INGEST_API_KEYS: `${options.tenant}:${apiKey}`,
    HTTP_PORT: String(httpPort),
    WEBHOOK_ENDPOINTS: JSON.stringify({ default: { url: receiver.url, secrets: [WEBHOOK_SECRET] } }),
    WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
    KAFKA_NAMESPACE: namespace,
    ...options.env,
  };
  const services: ServiceProcess[] = [];
  try {
    // Each waits until its consumer group assigned it partitions; a failed start stops the others.
    services.push(...(await startServices(SERVICES, env)));
  } catch (error) {
    await stopAll(services);
    await receiver.close();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    throw error;
  }
  return {
    namespace,
    topic: (name) => namespace + name,
    services,
    receiver,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    apiKey,
    rulesDir,
    stop: async () => {
      await stopAll(services);
      await receiver.close();
      if (process.env.KEEP_TOPICS !== '1') await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    },
  };
}
