// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** An in-app notification as stored, broadcast to every WebSocket gateway. */
export interface InboxItem {
  notification_id: string;
  tenant: string;
  user_id: string;
  /** Inbox cursor of the stored row. */
  seq: number;
  type: string;
  severity: string;
  title: string;
  body: string;
  /** JSON object text. */
  data: string;
  created_at: number;
}
