// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export interface PushSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A native app install that takes push notifications (browsers are in push_subscriptions). */
export interface Device {
  /** android (FCM) or ios (APNs); a string, not an enum, so a platform added later does not break older readers. */
  platform: string;
  /** FCM registration token or APNs device token (hex). */
  token: string;
  /** The app the token belongs to: the Android package name or the iOS bundle id (the APNs topic). */
  app_id: string;
  /** The app's language when it differs from the user's. */
  locale: null | string;
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
  /** The user's native push devices; older writers' records read as none. */
  devices: Array<Device>;
}
