/**
 * The settings every HTTP provider reads, under its channel's prefix: `<P>_ALLOW_NETWORKS` (CIDRs that
 * may be dialled although private: tests, on-premise proxies; comma-separated), `<P>_TIMEOUT_MS` and
 * `<P>_CONNECTIONS`. Parsed here once so each worker's config.ts does not carry its own copy.
 */
import { AddressGuard } from './address-guard';
import type { GuardedClientOptions } from './guarded-client';

export interface HttpProviderSettings {
  allowNetworks: string[];
  timeoutMs: number;
  connections: number;
}

export interface HttpProviderDefaults {
  timeoutMs?: number;
  connections?: number;
}

export function httpProviderSettings(
  env: Record<string, string | undefined>,
  prefix: string,
  defaults: HttpProviderDefaults = {},
): HttpProviderSettings {
  return {
    allowNetworks: (env[`${prefix}_ALLOW_NETWORKS`] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    timeoutMs: positiveInteger(env, `${prefix}_TIMEOUT_MS`, defaults.timeoutMs ?? 10_000),
    connections: positiveInteger(env, `${prefix}_CONNECTIONS`, defaults.connections ?? 64),
  };
}

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The guarded client's options from the settings: the address guard with the allowed networks, the timeout and pool size. */
export function guardedClientOptions(settings: HttpProviderSettings): GuardedClientOptions {
  return { guard: new AddressGuard(settings.allowNetworks), timeoutMs: settings.timeoutMs, connections: settings.connections };
}
