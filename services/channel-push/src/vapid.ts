/** Fails at start, not on the first send, when the VAPID keys or subject are unusable. */
import { getVapidHeaders } from 'web-push';
import type { Vapid } from './web/web-push-sender';

export function checkVapid(vapid: Vapid): Vapid {
  try {
    getVapidHeaders('https://push.example', vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm');
  } catch (error) {
    throw new Error(`channel-push: invalid VAPID configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  return vapid;
}
