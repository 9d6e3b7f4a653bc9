/** Every deployable service of the platform, in the order a whole product starts them (ingest first). */
export const SERVICES = [
  'ingest',
  'router',
  'aggregator',
  'api',
  'tracker',
  'channel-webhook',
  'channel-inapp',
  'channel-email',
  'channel-sms',
  'channel-voice',
  'channel-push',
  'channel-slack',
  'channel-discord',
  'channel-teams',
  'channel-pagerduty',
] as const;

export type ServiceName = (typeof SERVICES)[number];
