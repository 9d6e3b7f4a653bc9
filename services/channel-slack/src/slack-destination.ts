/**
 * Where a Slack message goes. A URL is an incoming webhook (the channel is fixed by the webhook); any
 * other value is a conversation id (C…, G…, D…) or #name for chat.postMessage with the tenant's bot token.
 */
export type SlackDestination = { kind: 'webhook'; url: string } | { kind: 'channel'; channel: string };

export function parseSlackDestination(value: string): SlackDestination {
  const trimmed = value.trim();
  return /^https?:\/\//i.test(trimmed) ? { kind: 'webhook', url: trimmed } : { kind: 'channel', channel: trimmed };
}
