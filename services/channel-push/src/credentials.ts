/**
 * The FCM and APNs settings made usable, once, at start: service account and .p8 key files read and
 * parsed, hosts chosen. Anything unusable stops the worker with the variable, tenant and app it came
 * from, rather than failing every send later.
 */
import { readFileSync } from 'node:fs';
import { APNS_HOSTS, AppSettings, type ApnsAppSettings, type FcmAppSettings } from './app-settings';
import type { ApnsApp } from './apns/apns-sender';
import { parseSigningKey, ProviderToken } from './apns/provider-token';
import type { FcmProject } from './fcm/fcm-sender';
import { parseServiceAccount } from './fcm/service-account';

type ReadFile = (path: string) => string;
const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

function resolve<T, U>(settings: AppSettings<T>, variable: string, make: (entry: T, where: string) => U): AppSettings<U> {
  const byTenant = new Map<string, Map<string, U>>();
  for (const { tenant, appId, settings: entry } of settings.entries()) {
    const apps = byTenant.get(tenant) ?? new Map<string, U>();
    apps.set(appId, make(entry, `${variable}.${tenant}.${appId}`));
    byTenant.set(tenant, apps);
  }
  return new AppSettings(byTenant);
}

export function fcmProjects(settings: AppSettings<FcmAppSettings>, readFile: ReadFile = readUtf8): AppSettings<FcmProject> {
  return resolve(settings, 'FCM_APPS', (entry, where) => {
    let json: unknown = entry.service_account;
    if (entry.service_account_file) {
      try {
        json = JSON.parse(readFile(entry.service_account_file));
      } catch (error) {
        throw new Error(
          `${where}: cannot read the service account ${entry.service_account_file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return { account: parseServiceAccount(json, where), apiUrl: entry.api_url, deepLinkBase: entry.deep_link_base };
  });
}

export function apnsApps(settings: AppSettings<ApnsAppSettings>, readFile: ReadFile = readUtf8): AppSettings<ApnsApp> {
  return resolve(settings, 'APNS_APPS', (entry, where) => {
    let pem = entry.key ?? '';
    if (entry.key_file) {
      try {
        pem = readFile(entry.key_file);
      } catch (error) {
        throw new Error(`${where}: cannot read the APNs key ${entry.key_file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const key = parseSigningKey(pem, where);
    return {
      origin: entry.url ?? APNS_HOSTS[entry.environment],
      token: new ProviderToken(key, entry.key_id, entry.team_id),
      deepLinkBase: entry.deep_link_base,
    };
  });
}
