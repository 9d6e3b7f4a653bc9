/**
 * Messages a provider accepted but reports on later (SendGrid events, Twilio status callbacks). The
 * row is written before the provider call, so feedback arriving early still finds it, and it is
 * closed at most once: only the first delivered/failed report becomes the terminal status. Opening
 * and accepting are written per turn of the event loop (TickBatcher), as the claims are.
 */
import { sql, TickBatcher, type ChannelMessagesTable, type Db, type Selectable } from '@notify/db';
import type { Dispatch } from '@notify/schemas';
import { digestMembers, type DigestMember } from './digest-members';

type MessageRow = Selectable<ChannelMessagesTable>;

/** The message's identity as logged; the closing columns stay in the database. */
export type LoggedMessage = Pick<MessageRow, 'notification_id' | 'channel' | 'provider' | 'provider_ref' | 'event_id' | 'tenant' | 'recipient' | 'type' | 'attempt'> & {
  /** Epoch millis; the bigint column reads back as a string. */
  occurred_at: number;
  /** The member notifications when the message is a digest; empty otherwise. */
  digest_members: DigestMember[];
};

export type FinalStatus = 'delivered' | 'failed';

interface Opening {
  dispatch: Dispatch;
  provider: string;
}

export class MessageLog {
  private readonly openings: TickBatcher<Opening, void>;
  private readonly acceptances: TickBatcher<{ notificationId: string; providerRef: string | null }, void>;

  constructor(private readonly db: Db) {
    this.openings = new TickBatcher((openings) => this.openAll(openings));
    this.acceptances = new TickBatcher(async (accepted) => {
      await sql`
        update channel_messages as m set provider_ref = u.provider_ref
          from unnest(${accepted.map((a) => a.notificationId)}::text[], ${accepted.map((a) => a.providerRef)}::text[]) as u(notification_id, provider_ref)
         where m.notification_id = u.notification_id`.execute(this.db);
      return accepted.map(() => undefined);
    });
  }

  opened(d: Dispatch, provider: string): Promise<void> {
    return this.openings.call({ dispatch: d, provider });
  }

  accepted(notificationId: string, providerRef: string | null): Promise<void> {
    return this.acceptances.call({ notificationId, providerRef });
  }

  private async openAll(openings: readonly Opening[]): Promise<void[]> {
    // One row per notification: ON CONFLICT DO UPDATE may not touch a row twice in one statement.
    const latest = new Map<string, Opening>();
    for (const o of openings) latest.set(o.dispatch.notification_id, o);
    await this.db
      .insertInto('channel_messages')
      .values([...latest.values()].map(({ dispatch: d, provider }) => {
        const members = digestMembers(d);
        return {
          notification_id: d.notification_id, channel: d.channel, provider, event_id: d.event_id, tenant: d.tenant, recipient: d.recipient, type: d.type,
          attempt: d.attempt, occurred_at: d.occurred_at, digest_members: members.length > 0 ? JSON.stringify(members) : null,
        };
      }))
      .onConflict((oc) => oc.column('notification_id').doUpdateSet((eb) => ({ attempt: eb.ref('excluded.attempt'), provider: eb.ref('excluded.provider') })))
      .execute();
    return openings.map(() => undefined);
  }

  async find(notificationId: string): Promise<LoggedMessage | undefined> {
    const row = await this.db.selectFrom('channel_messages').selectAll().where('notification_id', '=', notificationId).executeTakeFirst();
    return row ? toLogged(row) : undefined;
  }

  /** Closes the message with its final status; undefined when unknown or already closed. */
  async close(notificationId: string, status: FinalStatus, reason: string | null): Promise<LoggedMessage | undefined> {
    const row = await this.db
      .updateTable('channel_messages')
      .set({ final_status: status, final_reason: reason, closed_at: new Date() })
      .where('notification_id', '=', notificationId)
      .where('final_status', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toLogged(row) : undefined;
  }
}

function toLogged(row: MessageRow): LoggedMessage {
  // pg parses jsonb; the column holds what opened() wrote.
  const members = Array.isArray(row.digest_members) ? (row.digest_members as DigestMember[]) : [];
  return {
    notification_id: row.notification_id, channel: row.channel, provider: row.provider, provider_ref: row.provider_ref, event_id: row.event_id,
    tenant: row.tenant, recipient: row.recipient, type: row.type, attempt: row.attempt, occurred_at: Number(row.occurred_at), digest_members: members,
  };
}
