/**
 * The key naming one push destination of a user, shared by channel-push (which records gone
 * destinations under it in push_subscription_removals) and the API (which leaves them out of what it
 * shows and publishes, and clears them when the device registers again). A browser is its Web Push
 * endpoint, as it always was; a native app is `<platform>:<app_id>:<token>`, which can never be
 * mistaken for an https URL.
 */
export type PushPlatform = 'ios' | 'android' | 'web';

export const PUSH_PLATFORMS: readonly PushPlatform[] = ['ios', 'android', 'web'];

export function isPushPlatform(value: unknown): value is PushPlatform {
  return typeof value === 'string' && (PUSH_PLATFORMS as readonly string[]).includes(value);
}

export function pushTargetKey(target: { platform: PushPlatform; app_id: string; token: string }): string {
  return target.platform === 'web' ? target.token : `${target.platform}:${target.app_id}:${target.token}`;
}
