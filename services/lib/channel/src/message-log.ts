/**
 * Messages a provider accepted but reports on later (SendGrid events, Twilio status callbacks). The
 * row is written before the provider call, so feedback arriving early still finds it, and it is
 * closed at most once per run (`UPDATE ... WHERE final_status IS NULL`; an operator's replay opens it
 * afresh): by the first delivered/failed report,
 * by the feedback timeout, or by a redelivered send in doubt, and only the closer reports the
 * terminal status. Opening and accepting are written per turn of the event loop (TickBatcher), as
 * the claims are.
 */
import { sql, TickBatcher, type ChannelMessagesTable, type Db, type Selectable } from '@notify/db';
import type { Dispatch } from '@notify/schemas';
import { digestMembers, type DigestMember } from './digest-members';

type MessageRow = Selectable<ChannelMessagesTable>;

/** The message's identity as logged; the closing columns stay in the database. */
export type LoggedMessage = Pick<
  MessageRow,
  'notification_id' | 'channel' | 'provider' | 'provider_ref' | 'event_id' | 'tenant' | 'recipient' | 'type' | 'attempt'
> & {
  /** The run that sent it: 0 for the original, n for the n-th operator replay; its feedback reports the same. */
  replay: number;
  /** Epoch millis; the bigint column reads back as a string. */
  occurred_at: number;
  /** The member notifications when the message is a digest; empty otherwise. */
  digest_members: DigestMember[];
};

export type FinalStatus = 'delivered' | 'failed';

/** What closing a message publishes; it runs inside the closing transaction, so a failed publish leaves the row open. */
export type PublishClosed = (closed: readonly LoggedMessage[]) => Promise<void>;

/** What a redelivered send in doubt finds in the log (see `settleInDoubt`). */
export type InDoubtMessage =
  /** Nothing logged for it: the provider reports no feedback, or the attempt stopped before logging. */
  | { kind: 'unlogged' }
  /** The provider accepted it and it is still open: feedback or the timeout will close it. */
  | { kind: 'accepted'; message: LoggedMessage }
  /** Not known to be accepted, and closed now as failed by this call. */
  | { kind: 'closed_now'; message: LoggedMessage }
  /** Closed before: by feedback, the timeout, or an earlier settlement (final status and reason as stored). */
  | { kind: 'closed_before'; status: 'delivered' | 'failed' | 'sent'; reason: string | null };

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
        update channel_messages as m set provider_ref = u.provider_ref, accepted_at = now()
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
      .values(
        [...latest.values()].map(({ dispatch: d, provider }) => {
          const members = digestMembers(d);
          return {
            notification_id: d.notification_id,
            channel: d.channel,
            provider,
            event_id: d.event_id,
            tenant: d.tenant,
            recipient: d.recipient,
            type: d.type,
            attempt: d.attempt,
            replay: d.replay,
            occurred_at: d.occurred_at,
            digest_members: members.length > 0 ? JSON.stringify(members) : null,
          };
        }),
      )
      .onConflict((oc) =>
        oc.column('notification_id').doUpdateSet((eb) => {
          // An operator's replay is a new run of the message: it starts open, so its own feedback or
          // timeout closes it. A redelivery of the same run keeps what that run already closed.
          const newRun = sql<boolean>`excluded.replay > channel_messages.replay`;
          const reset = <T>(column: 'final_status' | 'final_reason' | 'closed_at' | 'accepted_at' | 'provider_ref') =>
            sql<T>`case when ${newRun} then null else ${sql.ref(`channel_messages.${column}`)} end`;
          return {
            attempt: eb.ref('excluded.attempt'),
            provider: eb.ref('excluded.provider'),
            replay: eb.ref('excluded.replay'),
            final_status: reset('final_status'),
            final_reason: reset('final_reason'),
            closed_at: reset('closed_at'),
            accepted_at: reset('accepted_at'),
            provider_ref: reset('provider_ref'),
          };
        }),
      )
      .execute();
    return openings.map(() => undefined);
  }

  async find(notificationId: string): Promise<LoggedMessage | undefined> {
    const row = await this.db.selectFrom('channel_messages').selectAll().where('notification_id', '=', notificationId).executeTakeFirst();
    return row ? toLogged(row) : undefined;
  }

  /**
   * Closes the message with its final status and publishes it in the same transaction: the row
   * closes only if the publish succeeds, so the provider's repeated report, or else the feedback
   * timeout, closes it later. Undefined when unknown or already closed; then nothing is published.
   */
  async close(
    notificationId: string,
    status: FinalStatus,
    reason: string | null,
    publish: PublishClosed,
  ): Promise<LoggedMessage | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('channel_messages')
        .set({ final_status: status, final_reason: reason, closed_at: new Date() })
        .where('notification_id', '=', notificationId)
        .where('final_status', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      const closed = toLogged(row);
      await publish([closed]);
      return closed;
    });
  }

  /**
   * Closes up to `limit` messages of the channel accepted more than `timeoutMs` ago and still open, as
   * `sent` with reason `no_feedback`, publishing them in the same transaction. Rows another sweeper
   * holds are skipped (SKIP LOCKED) and every row closes once (final_status IS NULL is checked again
   * under the row lock), so replicas sweeping together never close a row twice.
   */
  async expire(channel: string, timeoutMs: number, limit: number, publish: PublishClosed): Promise<LoggedMessage[]> {
    return this.db.transaction().execute(async (tx) => {
      const { rows } = await sql<MessageRow>`
        update channel_messages set final_status = 'sent', final_reason = 'no_feedback', closed_at = now()
         where notification_id in (
                 select notification_id from channel_messages
                  where channel = ${channel} and final_status is null and accepted_at is not null
                    and accepted_at < now() - make_interval(secs => ${timeoutMs / 1000}::double precision)
                  order by accepted_at
                  limit ${limit}
                    for update skip locked)
           and final_status is null
        returning *`.execute(tx);
      const closed = rows.map(toLogged);
      if (closed.length > 0) await publish(closed);
      return closed;
    });
  }

  /**
   * A redelivered send whose earlier attempt stopped between claim and result. A message the provider
   * accepted stays open for its feedback; one not known to be accepted is closed as failed
   * (`delivery_in_doubt`) here, atomically, so a report arriving later finds it closed and publishes
   * nothing; one already closed keeps the outcome it was closed with.
   */
  async settleInDoubt(notificationId: string): Promise<InDoubtMessage> {
    const row = await this.db
      .updateTable('channel_messages')
      .set({ final_status: 'failed', final_reason: 'delivery_in_doubt', closed_at: new Date() })
      .where('notification_id', '=', notificationId)
      .where('final_status', 'is', null)
      .where('accepted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return { kind: 'closed_now', message: toLogged(row) };
    const found = await this.db.selectFrom('channel_messages').selectAll().where('notification_id', '=', notificationId).executeTakeFirst();
    if (!found) return { kind: 'unlogged' };
    if (found.final_status === null) return { kind: 'accepted', message: toLogged(found) };
    return { kind: 'closed_before', status: found.final_status, reason: found.final_reason };
  }
}

function toLogged(row: MessageRow): LoggedMessage {
  // pg parses jsonb; the column holds what opened() wrote.
  const members = Array.isArray(row.digest_members) ? (row.digest_members as DigestMember[]) : [];
  return {
    notification_id: row.notification_id,
    channel: row.channel,
    provider: row.provider,
    provider_ref: row.provider_ref,
    event_id: row.event_id,
    tenant: row.tenant,
    recipient: row.recipient,
    type: row.type,
    attempt: row.attempt,
    replay: row.replay,
    occurred_at: Number(row.occurred_at),
    digest_members: members,
  };
}
