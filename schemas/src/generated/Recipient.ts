// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export interface PushSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A user's contact points and profile; compacted, keyed by <tenant>/<user_id>. */
export interface Recipient {
  tenant: string;
  user_id: string;
  email: null | string;
  email_verified: boolean;
  /** E.164. */
  phone: null | string;
  phone_verified: boolean;
  /** IANA zone. */
  timezone: string;
  locale: string;
  audiences: Array<string>;
  push_subscriptions: Array<PushSubscription>;
  /** Channel to destination: slack, discord, teams webhook URLs; webhook endpoint. */
  chat: Record<string, string>;
  /** Channels the user opted out of at the provider (STOP). */
  opted_out: Array<string>;
  updated_at: number;
}
