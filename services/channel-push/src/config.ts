import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';
import { apnsAppSchema, AppSettings, appSettingsVariable, fcmAppSchema, type ApnsAppSettings, type FcmAppSettings } from './app-settings';

/** Google turned the legacy FCM HTTP and XMPP APIs off in July 2024; a server key sends nothing any more. */
export const LEGACY_FCM_MESSAGE =
  'FCM_SERVER_KEY is a legacy FCM server key: Google shut the legacy FCM API down in July 2024 and ' +
  'no longer accepts it. Use the HTTP v1 API with a service account instead: remove FCM_SERVER_KEY and set ' +
  'FCM_SERVICE_ACCOUNT_FILE to the service account JSON of your Firebase project (Project settings > Service accounts > ' +
  'Generate new private key), or FCM_APPS for several tenants or apps (see services/channel-push/README.md)';

const schema = baseWorkerConfig
  .extend({
    ...channelRuntimeConfig,
    /**
     * live: send through the push services configured below (Web Push, FCM, APNs); sandbox: record to the
     * outbox table. `web-push` is the older name of live. Unset: live when anything is configured, else sandbox.
     */
    PUSH_PROVIDER: z.enum(['live', 'web-push', 'sandbox']).optional(),
    /** VAPID key pair (URL-safe base64, as `web-push generate-vapid-keys` prints them); required for browsers. */
    VAPID_PUBLIC_KEY: z.string().default(''),
    VAPID_PRIVATE_KEY: z.string().default(''),
    /** Contact for push services: a mailto: or https: URL. */
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:)/, 'must start with mailto: or https:')
      .default('mailto:notifications@localhost'),
    /** FCM HTTP v1 per tenant and Android app: `{"<tenant>|default": {"<package>|default": {service_account_file | service_account, api_url?, deep_link_base?}}}`. */
    FCM_APPS: appSettingsVariable(fcmAppSchema),
    /** One service account for every tenant and app (the single-project shorthand of FCM_APPS). */
    FCM_SERVICE_ACCOUNT_FILE: z.string().default(''),
    /** Accepted only to refuse it with a clear message. */
    FCM_SERVER_KEY: z
      .string()
      .default('')
      .refine((v) => v.trim() === '', LEGACY_FCM_MESSAGE),
    /** APNs token auth per tenant and iOS app: `{"<tenant>|default": {"<bundle id>|default": {key_file | key, key_id, team_id, environment?, url?, deep_link_base?}}}`. */
    APNS_APPS: appSettingsVariable(apnsAppSchema),
    /** The single-key shorthand of APNS_APPS: a .p8 key file, its key id, the team id (and optionally one bundle id). */
    APNS_KEY_FILE: z.string().default(''),
    APNS_KEY_ID: z.string().default(''),
    APNS_TEAM_ID: z.string().default(''),
    APNS_BUNDLE_ID: z.string().default(''),
    APNS_ENVIRONMENT: z.enum(['production', 'sandbox']).default('production'),
    /** How long the push service keeps an undelivered message for an offline device. */
    PUSH_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
    /** PEM file with extra trusted certificates (an on-premise push gateway, the test push, FCM and APNs servers). */
    PUSH_EXTRA_CA_FILE: z.string().default(''),
    WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
  })
  .transform((c, ctx) => {
    let fcmApps: AppSettings<FcmAppSettings> = c.FCM_APPS;
    if (c.FCM_SERVICE_ACCOUNT_FILE) {
      fcmApps = fcmApps.withEntry('default', 'default', {
        service_account_file: c.FCM_SERVICE_ACCOUNT_FILE,
        api_url: 'https://fcm.googleapis.com',
      });
    }
    let apnsApps: AppSettings<ApnsAppSettings> = c.APNS_APPS;
    const single = [c.APNS_KEY_FILE, c.APNS_KEY_ID, c.APNS_TEAM_ID];
    if (single.some(Boolean)) {
      const entry = apnsAppSchema.safeParse({
        key_file: c.APNS_KEY_FILE || undefined,
        key_id: c.APNS_KEY_ID,
        team_id: c.APNS_TEAM_ID,
        environment: c.APNS_ENVIRONMENT,
      });
      if (!entry.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['APNS_KEY_FILE'],
          message: `APNS_KEY_FILE, APNS_KEY_ID and APNS_TEAM_ID go together: ${entry.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        });
        return z.NEVER;
      }
      apnsApps = apnsApps.withEntry('default', c.APNS_BUNDLE_ID || 'default', entry.data);
    }
    return { ...c, fcmApps, apnsApps };
  });

/**
 * `http`: PUSH_ALLOW_NETWORKS (subscription endpoints come from browsers, so they are dialled through
 * the address guard; CIDRs listed there may be private), PUSH_TIMEOUT_MS and PUSH_CONNECTIONS.
 */
export type PushConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): PushConfig {
  return { ...parseConfig(schema, env, 'channel-push'), http: httpProviderSettings(env, 'PUSH') };
}
