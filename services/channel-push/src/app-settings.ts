/**
 * Settings of native push per tenant and app, from JSON like the other channels' *_DESTINATIONS:
 * `{"<tenant>": {"<app_id>": {...}}}`, where `default` stands for every other tenant or app. A
 * device's app id (Android package, iOS bundle id) picks the entry, so one deployment can send for
 * several tenants' apps with their own credentials.
 */
import { z } from '@notify/runner';

export const FCM_API_URL = 'https://fcm.googleapis.com';
export const APNS_HOSTS = { production: 'https://api.push.apple.com', sandbox: 'https://api.sandbox.push.apple.com' } as const;

/** An FCM project: its service account (a file, or the JSON itself) and, for tests, another API origin. */
export const fcmAppSchema = z
  .object({
    service_account_file: z.string().min(1).optional(),
    service_account: z.record(z.string(), z.unknown()).optional(),
    api_url: z.string().url().default(FCM_API_URL),
    /** The app's link for a notification: `<deep_link_base><notification id>` unless the event carries `deep_link`. */
    deep_link_base: z.string().optional(),
  })
  .strict()
  .refine(
    (a) => (a.service_account_file === undefined) !== (a.service_account === undefined),
    'needs exactly one of service_account_file, service_account',
  );

/** An APNs token-auth key (.p8 file or its PEM), its key id and team id, and the environment. */
export const apnsAppSchema = z
  .object({
    key_file: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    key_id: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character key id'),
    team_id: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character team id'),
    environment: z.enum(['production', 'sandbox']).default('production'),
    /** Another origin than Apple's for the environment (a test server, a proxy). */
    url: z.string().url().optional(),
    deep_link_base: z.string().optional(),
  })
  .strict()
  .refine((a) => (a.key_file === undefined) !== (a.key === undefined), 'needs exactly one of key_file, key');

export type FcmAppSettings = z.infer<typeof fcmAppSchema>;
export type ApnsAppSettings = z.infer<typeof apnsAppSchema>;

export class AppSettings<T> {
  constructor(private readonly byTenant: ReadonlyMap<string, ReadonlyMap<string, T>>) {}

  static empty<T>(): AppSettings<T> {
    return new AppSettings(new Map());
  }

  /** No app anywhere (a tenant listed without apps counts for nothing). */
  isEmpty(): boolean {
    return [...this.byTenant.values()].every((apps) => apps.size === 0);
  }

  /** The tenant's entry for the app, else its `default` app; then the same in the `default` tenant. */
  find(tenant: string, appId: string): T | undefined {
    for (const t of [tenant, 'default']) {
      const apps = this.byTenant.get(t);
      const found = apps?.get(appId) ?? apps?.get('default');
      if (found) return found;
    }
    return undefined;
  }

  entries(): Array<{ tenant: string; appId: string; settings: T }> {
    return [...this.byTenant].flatMap(([tenant, apps]) => [...apps].map(([appId, settings]) => ({ tenant, appId, settings })));
  }

  /** These settings with one more entry (the single-app variables), unless the map already has it. */
  withEntry(tenant: string, appId: string, settings: T): AppSettings<T> {
    const byTenant = new Map([...this.byTenant].map(([t, apps]) => [t, new Map(apps)]));
    const apps = byTenant.get(tenant) ?? new Map<string, T>();
    if (!apps.has(appId)) apps.set(appId, settings);
    byTenant.set(tenant, apps);
    return new AppSettings(byTenant);
  }
}

/** A zod field for one JSON map variable: every problem is reported with its path, at start. */
export function appSettingsVariable<S extends z.ZodType>(entry: S) {
  const map = z.record(z.string(), z.record(z.string(), entry));
  return z
    .string()
    .default('')
    .transform((text, ctx): AppSettings<z.infer<S>> => {
      if (text.trim() === '') return AppSettings.empty();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
      const result = map.safeParse(parsed);
      if (!result.success) {
        for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.')}: ${issue.message}` });
        return z.NEVER;
      }
      const data = result.data as Record<string, Record<string, z.infer<S>>>;
      return new AppSettings(new Map(Object.entries(data).map(([tenant, apps]) => [tenant, new Map(Object.entries(apps))])));
    });
}
