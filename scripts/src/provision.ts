/**
 * Creates every topic and registers every value schema; idempotent. `npm run provision` and the test
 * setup call it; Kubernetes runs it as a Job before the services.
 */
import { AvroCodec, createKafka, provisionTopics, registerAllSchemas, setSchemaCompatibility } from '@notify/kafka';
import { TOPICS, valueSubject } from '@notify/schemas';
import { partitionCounts, stackEnv } from './stack-env';

const quiet = { error: (o: object, m: string) => console.error(m, o), warn: () => {}, info: () => {}, debug: () => {} };

/**
 * Metadata errors a broker answers while another namespace's topics are being deleted or a new
 * partition's leader is being elected; they pass within seconds. kafkajs marks them `retriable`.
 */
function isTransientMetadataError(error: unknown): boolean {
  for (let e: unknown = error; e !== null && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { retriable, type } = e as { retriable?: unknown; type?: unknown };
    if (retriable === true || type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE' || type === 'NOT_LEADER_OR_FOLLOWER')
      return true;
  }
  return false;
}

export async function provision(env: Record<string, string | undefined>, attempts = 5): Promise<{ created: string[] }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await provisionOnce(env);
    } catch (error) {
      if (attempt >= attempts || !isTransientMetadataError(error)) throw error;
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }
}

async function provisionOnce(env: Record<string, string | undefined>): Promise<{ created: string[] }> {
  const { brokers, registryUrl } = stackEnv(env);
  const admin = createKafka({
    clientId: 'provision',
    brokers,
    logger: quiet,
    // Unset: the cluster's size, at most 3 (one local broker: 1; `stack.sh up --brokers 3`: 3).
    ...(env.TOPIC_REPLICATION_FACTOR ? { replicationFactor: Number(env.TOPIC_REPLICATION_FACTOR) } : {}),
    namespace: env.KAFKA_NAMESPACE ?? '',
  }).admin();
  await admin.connect();
  try {
    const result = await provisionTopics(admin, partitionCounts(env));
    await setSchemaCompatibility(
      registryUrl,
      TOPICS.map((t) => valueSubject(t.name)),
    );
    const codec = await AvroCodec.connect(registryUrl, []);
    await registerAllSchemas(codec);
    return { created: result.created };
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  provision(process.env).then(
    ({ created }) =>
      console.log(created.length > 0 ? `created ${created.length} topics; schemas registered` : 'all topics exist; schemas registered'),
    (err: unknown) => {
      console.error(`provisioning failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

/** Deletes every topic of a namespace (test and bench clean-up); refuses the empty namespace. */
export async function dropNamespace(env: Record<string, string | undefined>): Promise<void> {
  const namespace = env.KAFKA_NAMESPACE ?? '';
  if (namespace === '') throw new Error('refusing to drop the topics of the empty namespace');
  const { brokers } = stackEnv(env);
  const admin = createKafka({ clientId: 'provision', brokers, logger: quiet, namespace }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics(await admin.listTopics());
  } finally {
    await admin.disconnect();
  }
}
