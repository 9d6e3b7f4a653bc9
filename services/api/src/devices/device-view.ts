/**
 * A device as GET /v1/devices and GET /v1/contacts show it. A browser is shown by its endpoint, not
 * its keys (they encrypt messages to it and nobody needs them back); a native app by its token, which
 * the app itself holds and may use to find its own entry.
 */
import type { DeviceRow } from './device-rows';

export interface DeviceView {
  id: string;
  platform: 'ios' | 'android' | 'web';
  app_id: string | null;
  token?: string;
  endpoint?: string;
  locale: string | null;
  created_at: string;
  last_seen_at: string;
}

export function deviceView(row: DeviceRow): DeviceView {
  return {
    id: row.device_id,
    platform: row.platform,
    app_id: row.platform === 'web' ? null : row.app_id,
    ...(row.platform === 'web' ? { endpoint: row.token } : { token: row.token }),
    locale: row.locale,
    created_at: row.created_at.toISOString(),
    last_seen_at: row.last_seen_at.toISOString(),
  };
}
