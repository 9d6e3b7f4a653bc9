import { baseWorkerConfig, ConfigError, parseConfig, z } from './config';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig with the base worker schema', () => {
  it('fills every default from an empty environment', () => {
    expect(parseConfig(baseWorkerConfig, {}, 'svc')).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      LOG_LEVEL: 'info',
      OPS_PORT: 0,
      WORKER_CONCURRENCY: 1,
      PARTITIONS_CONCURRENTLY: 3,
      CHUNK_SIZE: 500,
      GROUP_SUFFIX: '',
      KAFKA_NAMESPACE: '',
      LAG_REFRESH_MS: 10_000,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: 1000,
    });
  });

  it('coerces numbers and splits the broker list, dropping blanks and spaces', () => {
    const config = parseConfig(
      baseWorkerConfig,
      { KAFKA_BROKERS: ' k1:9092, k2:9092 ,,', OPS_PORT: '9100', WORKER_CONCURRENCY: '8', CHUNK_SIZE: '50' },
      'svc',
    );
    expect(config.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9092']);
    expect(config.OPS_PORT).toBe(9100);
    expect(config.WORKER_CONCURRENCY).toBe(8);
    expect(config.CHUNK_SIZE).toBe(50);
  });

  it('lists every problem at once, each with its variable name, under the service name', () => {
    const error = configError(() =>
      parseConfig(
        baseWorkerConfig,
        { SCHEMA_REGISTRY_URL: 'not a url', LOG_LEVEL: 'loud', OPS_PORT: '70000', WORKER_CONCURRENCY: '0', CHUNK_SIZE: 'many' },
        'router',
      ),
    );
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('router: invalid configuration');
    const named = lines.slice(1).map((line) => line.trim().split(':')[0]);
    expect(named.sort()).toEqual(['CHUNK_SIZE', 'LOG_LEVEL', 'OPS_PORT', 'SCHEMA_REGISTRY_URL', 'WORKER_CONCURRENCY']);
  });

  it('rejects fractional and negative counts', () => {
    const error = configError(() => parseConfig(baseWorkerConfig, { PARTITIONS_CONCURRENTLY: '1.5', OPS_PORT: '-1' }, 'svc'));
    expect(error.message).toMatch(/PARTITIONS_CONCURRENTLY/);
    expect(error.message).toMatch(/OPS_PORT/);
  });

  it('accepts a service schema extended from the base, with its own defaults and required keys', () => {
    const schema = baseWorkerConfig.extend({ DATABASE_URL: z.string().min(1), POLL_MS: z.coerce.number().int().positive().default(2000) });
    expect(parseConfig(schema, { DATABASE_URL: 'postgres://x' }, 'svc')).toMatchObject({
      DATABASE_URL: 'postgres://x',
      POLL_MS: 2000,
      CHUNK_SIZE: 500,
    });
    const error = configError(() => parseConfig(schema, { POLL_MS: 'soon' }, 'svc'));
    expect(error.message).toMatch(/DATABASE_URL/);
    expect(error.message).toMatch(/POLL_MS/);
  });

  it('names the whole environment when the problem has no path', () => {
    const schema = z
      .object({ A: z.string().optional(), B: z.string().optional() })
      .refine((env) => env.A !== undefined || env.B !== undefined, 'set A or B');
    const error = configError(() => parseConfig(schema, {}, 'svc'));
    expect(error.message).toContain('(env): set A or B');
  });
});
