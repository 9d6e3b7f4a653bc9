/**
 * Posts the seed 001 MARGIN_CALL event to the HTTP gateway and follows it: delivery statuses from
 * notifications.delivery-status (decoded through the registry) until every notification is terminal,
 * then the in-app inbox row from Postgres and, when the tracker runs (DEMO_TRACKER=1), its summary
 * rows. Exits 1 when the notifications do not all reach a terminal status in time.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { stackEnv } from '../stack-env';
import { followStatuses } from './status-reader';

async function main(): Promise<void> {
  const env = stackEnv(process.env);
  const gateway = process.env.DEMO_GATEWAY ?? 'http://127.0.0.1:8080';
  const statuses = await followStatuses(env.brokers, env.registryUrl, process.env.KAFKA_NAMESPACE ?? '');
  const eventId = `demo-${randomUUID()}`;
  const event = {
    event_id: eventId,
    type: 'MARGIN_CALL',
    producer: 'risk-system',
    payload: { user_id: 'user123', account_id: 'acc789', shortfall: 5000.0, deadline: new Date(Date.now() + 3600_000).toISOString() },
    severity: 'critical',
    dedupe_key: `margin_call_user123_${eventId}`,
  };
  console.log(`POST ${gateway}/v1/events`);
  const res = await fetch(`${gateway}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.DEMO_API_KEY ?? 'dev-key'}` },
    body: JSON.stringify(event),
  });
  console.log(`-> ${res.status} ${await res.text()}\n`);
  // Generous: services that were stopped for a while first catch up with what others produced meanwhile.
  const waitMs = Number(process.env.DEMO_WAIT_MS ?? 120_000);
  const deadline = Date.now() + waitMs;
  const seen = new Set<string>();
  let complete = false;
  try {
    while (Date.now() < deadline) {
      const mine = statuses.statuses.filter((s) => s.event_id === eventId);
      for (const s of mine) {
        const line = `${new Date(s.at).toISOString()} ${s.stage.padEnd(16)} ${(s.channel ?? '(event)').padEnd(8)} ${s.status}${s.reason ? ` (${s.reason})` : ''}${s.terminal ? ' [terminal]' : ''}`;
        if (!seen.has(line)) console.log(line);
        seen.add(line);
      }
      const channels = new Set(mine.filter((s) => s.channel).map((s) => s.channel));
      const done = new Set(mine.filter((s) => s.terminal && s.channel).map((s) => s.channel));
      if (channels.size > 0 && done.size === channels.size) {
        complete = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await statuses.close();
  }
  const db = new Client({ connectionString: env.databaseUrl });
  await db.connect();
  try {
    const rows = await db.query('select seq, user_id, title, body, created_at from inbox where event_id = $1', [eventId]);
    console.log('\nin-app inbox row:', rows.rows[0] ?? '(none)');
    if (process.env.DEMO_TRACKER === '1')
      console.log('\ntracker (delivery_summary):\n' + (await trackerSummary(db, eventId, seen.size > 0)));
  } finally {
    await db.end();
  }
  if (!complete) {
    console.error(`\nnot every notification reached a terminal status within ${waitMs / 1000} s; see .demo/logs/`);
    process.exitCode = 1;
  }
}

/** The tracker copies statuses asynchronously: wait briefly for its rows of the event. */
async function trackerSummary(db: Client, eventId: string, expectRows: boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await db.query<{
      channel: string | null;
      latest_status: string;
      terminal_status: string | null;
      latency_ms: string | null;
    }>(
      'select channel, latest_status, terminal_status, latency_ms from delivery_summary where event_id = $1 order by channel nulls first',
      [eventId],
    );
    const settled = rows.filter((r) => r.channel !== null).every((r) => r.terminal_status !== null);
    if ((rows.length > 0 && settled) || !expectRows || Date.now() > deadline) {
      if (rows.length === 0) return '  (no rows yet)';
      return rows
        .map(
          (r) =>
            `  ${(r.channel ?? '(event)').padEnd(8)} latest ${r.latest_status.padEnd(10)} terminal ${r.terminal_status ?? '-'}${r.latency_ms !== null ? ` after ${r.latency_ms} ms` : ''}`,
        )
        .join('\n');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
