/** Settings every channel worker shares, merged into each worker's zod schema. */
import { personalDataConfig, z } from '@notify/runner';

export const channelRuntimeConfig = {
  ...personalDataConfig,
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  /** Overrides the channel's retry table (tests, staging): retries after the first attempt. */
  RETRY_MAX_RETRIES: z.coerce.number().int().min(0).optional(),
  /** Overrides the channel's retry delays, comma-separated milliseconds. */
  RETRY_DELAYS_MS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map(Number),
    )
    .refine((list) => list.every((n) => Number.isInteger(n) && n >= 0), 'must be comma-separated non-negative integers'),
  /** Directory of template files (<channel>.yaml, all.yaml); the bundled templates when empty. */
  TEMPLATES_DIR: z.string().default(''),
  /**
   * Overrides the channel's feedback timeout (FEEDBACK_TIMEOUTS_MS): how long a message its provider
   * accepted may wait for a delivery report before it is closed as `sent` (`no_feedback`).
   */
  FEEDBACK_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /** How often the worker closes the messages whose feedback timeout has passed. */
  FEEDBACK_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
};

export type ChannelRuntimeConfig = { [K in keyof typeof channelRuntimeConfig]: z.infer<(typeof channelRuntimeConfig)[K]> };

export function retryOverrides(config: { RETRY_MAX_RETRIES?: number | undefined; RETRY_DELAYS_MS: number[] }): {
  maxRetries?: number;
  delaysMs?: number[];
} {
  return {
    ...(config.RETRY_MAX_RETRIES !== undefined ? { maxRetries: config.RETRY_MAX_RETRIES } : {}),
    ...(config.RETRY_DELAYS_MS.length > 0 ? { delaysMs: config.RETRY_DELAYS_MS } : {}),
  };
}
