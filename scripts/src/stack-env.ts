/** Connection settings for scripts and tests, from the environment with the local stack's defaults. */
export interface StackEnv {
  brokers: string[];
  registryUrl: string;
  databaseUrl: string;
}

export function stackEnv(env: Record<string, string | undefined>): StackEnv {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    registryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications',
  };
}

export function partitionCounts(env: Record<string, string | undefined>): { user: number; event: number; small: number } {
  const n = (v: string | undefined, d: number) => {
    const parsed = Number(v ?? d);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`partition counts must be positive integers, got ${v}`);
    return parsed;
  };
  return { user: n(env.USER_PARTITIONS, 6), event: n(env.EVENT_PARTITIONS, 6), small: n(env.SMALL_PARTITIONS, 3) };
}
