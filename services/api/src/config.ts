import { readFileSync } from 'node:fs';
import { baseWorkerConfig, parseConfig, personalDataConfig, sealingKeysSetting, z } from '@notify/runner';
import { parseTokenKeys } from './auth/token-keys';
import type { HmacKey, TokenSettings } from './auth/token-verifier';

const schema = baseWorkerConfig.extend({
  ...personalDataConfig,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8003),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** HS256 secret of user and operator tokens (key id `default`); short secrets are brute-forceable. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Several HS256 secrets for rotation, `kid:secret,kid:secret`; the first signs (see auth/token-keys.ts). */
  JWT_KEYS: z.string().optional(),
  /** A mounted file of `kid:secret` lines, read once at start. */
  JWT_KEYS_FILE: z.string().optional(),
  /** Expected `iss` and `aud` of every token; unchecked when unset. */
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** An identity provider's JWKS (OIDC `jwks_uri`): its RS256/ES256 tokens are accepted too. */
  JWT_JWKS_URL: z.url().optional(),
  /** The claim naming the tenant in tokens (an identity provider may use a namespaced claim). */
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  /**
   * Keys that seal one-time codes for the SMS worker (`kid:<base64 of 32 bytes>`, comma separated;
   * the first seals): channel-sms needs the same SEALING_KEYS to open them.
   */
  SEALING_KEYS: sealingKeysSetting,
  /** HMAC key of phone verification codes (at least 32 characters, not the JWT secret). */
  CODE_HASH_SECRET: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
  /**
   * HMAC key of the one-click unsubscribe links channel-email puts in every email (its
   * UNSUBSCRIBE_SECRET: both must hold the same value). Empty: /v1/unsubscribe refuses every link.
   */
  UNSUBSCRIBE_SECRET: z.string().default(''),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Names this replica's own notifications.inbox consumer group; random when unset. */
  API_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  WS_PING_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** Rows per query when a reconnecting client catches up from its cursor. */
  WS_CATCHUP_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  /** Extra consumer groups for GET /v1/admin/lag, as JSON [{"service","group","topics":[...]}]. */
  LAG_GROUPS: z.string().default(''),
  /** The shipped templates (channel workers' TEMPLATES_DIR); empty: the bundled ones. */
  TEMPLATES_DIR: z.string().default(''),
  /** channel-email's UNSUBSCRIBE_BASE_URL, so an email preview carries the link the worker puts in. */
  UNSUBSCRIBE_BASE_URL: z.string().url().default('https://notify.example.com/v1/unsubscribe'),
  /** channel-sms's SMS_MAX_SEGMENTS, so an SMS preview is cut where the worker cuts it. */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(2),
});

/** The token keys, read once: JWT_KEYS, then JWT_KEYS_FILE, then JWT_SECRET; at least one source or a JWKS URL. */
const withTokenKeys = schema.transform((config, ctx) => {
  const keys: HmacKey[] = [];
  const add = (text: string, path: string) => {
    const parsed = parseTokenKeys(text);
    for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', path: [path], message: problem });
    keys.push(...parsed.keys.filter((k) => !keys.some((known) => known.kid === k.kid)));
  };
  if (config.JWT_KEYS) add(config.JWT_KEYS, 'JWT_KEYS');
  if (config.JWT_KEYS_FILE) {
    try {
      add(readFileSync(config.JWT_KEYS_FILE, 'utf8'), 'JWT_KEYS_FILE');
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_KEYS_FILE'],
        message: `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  if (config.JWT_SECRET && !keys.some((k) => k.kid === 'default')) keys.push({ kid: 'default', secret: config.JWT_SECRET });
  if (keys.length === 0 && !config.JWT_JWKS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message: 'is required (at least 32 characters), unless JWT_KEYS, JWT_KEYS_FILE or JWT_JWKS_URL is set',
    });
  }
  return { ...config, tokenKeys: keys };
});

export type ApiConfig = z.infer<typeof withTokenKeys>;

export function loadConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseConfig(withTokenKeys, env, 'api');
}

export function tokenSettings(config: ApiConfig): TokenSettings {
  return {
    keys: config.tokenKeys,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    jwksUrl: config.JWT_JWKS_URL,
    tenantClaim: config.JWT_TENANT_CLAIM,
  };
}
