/** Every channel a rule may name. A typo here would silently drop notifications, so unknown names fail the load. */
export const KNOWN_CHANNELS = ['email', 'sms', 'voice', 'push', 'slack', 'discord', 'teams', 'webhook', 'pagerduty', 'inapp'] as const;

export type Channel = (typeof KNOWN_CHANNELS)[number];

export function isKnownChannel(name: string): name is Channel {
  return (KNOWN_CHANNELS as readonly string[]).includes(name);
}
