import { unencodableTopics, type Intent } from '@notify/schemas';
import type { Output } from '@notify/runner';
import { dispatches, Harness, intent, RECIPIENT, statuses, T0, verdicts } from './test-harness';

const MINUTE = 60_000;
const TEAM = 'acme/#team';

/** The router's one intent per event for the team channels of its decision. */
const teamIntent = (eventId: string, over: Partial<Intent> = {}): Intent =>
  intent(eventId, { recipient: TEAM, user_id: '#team', channels: ['slack', 'pagerduty'], ...over });

/** A person's intent for the same event: the team channels are listed, the team covers them. */
const personIntent = (eventId: string, over: Partial<Intent> = {}): Intent =>
  intent(eventId, { channels: ['inapp', 'slack', 'pagerduty'], team_channels: ['slack', 'pagerduty'], ...over });

const expectValidAvro = (outputs: Output[]): void => expect(unencodableTopics(outputs)).toEqual([]);

describe('a team pseudo-recipient', () => {
  it('is reachable on its team channels without any record: the channel worker resolves the address', () => {
    const h = new Harness();
    const i = teamIntent('e1');
    const outputs = h.intent(i, T0);
    expect(dispatches(outputs).map((d) => [d.channel, d.notification_id, d.recipient, d.user_id, d.address])).toEqual([
      ['slack', i.notification_ids.slack, TEAM, '#team', null],
      ['pagerduty', i.notification_ids.pagerduty, TEAM, '#team', null],
    ]);
    expect(outputs.filter((o) => o.topic.startsWith('notifications.dispatch.')).every((o) => o.key === TEAM)).toBe(true);
    expect(verdicts(outputs)).toEqual([
      ['queued', null],
      ['queued', null],
    ]);
    expectValidAvro(outputs);
  });

  it("ignores preferences and records published under its key: opt-outs and quiet hours are a person's", () => {
    const h = new Harness();
    h.preferences({ channels: { slack: false }, quiet_hours: { start: '00:00', end: '23:59', timezone: 'UTC' } }, TEAM);
    h.recipient({ chat: { slack: 'https://hooks.example/someone-else' } }, TEAM);
    const outputs = h.intent(teamIntent('e1', { channels: ['slack'] }), T0);
    expect(verdicts(outputs)).toEqual([['queued', null]]);
    expect(dispatches(outputs)[0]?.address).toBeNull();
  });

  it('has no rate limit, for critical alerts or others', () => {
    const h = new Harness({ RATE_LIMIT_PER_MINUTE: '1', CRITICAL_RATE_LIMIT_PER_MINUTE: '1' });
    const results = ['e1', 'e2', 'e3'].map((id, n) => verdicts(h.intent(teamIntent(id, { channels: ['slack'] }), T0 + n)));
    const critical = ['c1', 'c2'].map((id, n) =>
      verdicts(h.intent(teamIntent(id, { channels: ['slack'], severity: 'critical' }), T0 + 10 + n)),
    );
    expect([...results, ...critical]).toEqual(Array(5).fill([['queued', null]]));
  });

  it('posts a repeated dedupe_key once', () => {
    const h = new Harness();
    expect(dispatches(h.intent(teamIntent('e1', { dedupe_key: 'breach-7' }), T0))).toHaveLength(2);
    const again = h.intent(teamIntent('e2', { dedupe_key: 'breach-7' }), T0 + MINUTE);
    expect(dispatches(again)).toEqual([]);
    expect(verdicts(again)).toEqual([
      ['suppressed', 'duplicate'],
      ['suppressed', 'duplicate'],
    ]);
  });

  it('is inhibited like a person: a firing critical silences warnings of the same type and account', () => {
    const h = new Harness();
    const loss = (id: string, severity: 'critical' | 'warning') =>
      teamIntent(id, { channels: ['slack'], type: 'DAILY_LOSS', severity, payload: '{"account_id":"A1"}' });
    expect(verdicts(h.intent(loss('c1', 'critical'), T0))).toEqual([['queued', null]]);
    expect(verdicts(h.intent(loss('w1', 'warning'), T0 + 1))).toEqual([['suppressed', 'inhibited']]);
  });

  it('gets one digest per channel for a batching window, addressed to the team', () => {
    const h = new Harness();
    const batching = { window_ms: MINUTE, group_by: null, max_items: null };
    h.intent(teamIntent('e1', { channels: ['slack'], batching }), T0);
    h.intent(teamIntent('e2', { channels: ['slack'], batching }), T0 + 1);
    const closed = h.tick(T0 + MINUTE);
    expect(dispatches(closed).map((d) => [d.channel, d.user_id, d.address, d.digest?.total])).toEqual([['slack', '#team', null, 2]]);
    expectValidAvro(closed);
  });
});

describe("a person's channels that the team covers", () => {
  it('do not exist without a destination of their own: no dispatch and no status at all', () => {
    const h = new Harness();
    h.recipient({ chat: {} });
    const i = personIntent('e1');
    const outputs = h.intent(i, T0);
    expect(dispatches(outputs).map((d) => d.channel)).toEqual(['inapp']);
    expect(statuses(outputs).map((s) => [s.notification_id, s.status])).toEqual([[i.notification_ids.inapp, 'queued']]);
  });

  it('do not exist for someone without a recipient record either', () => {
    const h = new Harness();
    expect(h.intent(personIntent('e1', { channels: ['slack'], team_channels: ['slack'] }), T0)).toEqual([]);
  });

  it('are sent to a destination of their own, queued being their first status', () => {
    const h = new Harness();
    h.recipient({ chat: { slack: 'https://hooks.slack.example/u1', pagerduty: ' ' } });
    const i = personIntent('e1');
    const outputs = h.intent(i, T0);
    expect(dispatches(outputs).map((d) => [d.channel, d.recipient, d.address])).toEqual([
      ['inapp', RECIPIENT, null],
      ['slack', RECIPIENT, 'https://hooks.slack.example/u1'],
    ]);
    expect(statuses(outputs).map((s) => [s.channel, s.status])).toEqual([
      ['inapp', 'queued'],
      ['slack', 'queued'],
    ]);
  });

  it("still follow the person's preferences when they have a destination", () => {
    const h = new Harness();
    h.recipient({ chat: { slack: 'https://hooks.slack.example/u1' } });
    h.preferences({ channels: { slack: false } });
    expect(verdicts(h.intent(personIntent('e1', { channels: ['slack'], team_channels: ['slack'] }), T0))).toEqual([
      ['suppressed', 'preference'],
    ]);
  });

  it('leave a channel the team does not cover as it was: a missing address is still reported', () => {
    const h = new Harness();
    h.recipient({ chat: {} });
    expect(verdicts(h.intent(intent('e1', { channels: ['slack'] }), T0))).toEqual([['suppressed', 'no_address']]);
  });
});
