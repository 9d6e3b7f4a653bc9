/**
 * The Teams worker as deployed (its main()), on real Kafka and Postgres, against a local Workflows
 * trigger: an Adaptive Card, 429 and 5xx through the retry topic, a permanent 4xx to the DLQ.
 */
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { startTeamsFake, type TeamsFake } from '../../../tests/support/fakes/teams-fake';
import { main } from '../src/main';

jest.setTimeout(120_000);

describe('channel-teams worker', () => {
  let teams: TeamsFake;
  let rig: ChannelWorkerRig;
  const tenant = `teams-${Date.now()}`;

  beforeAll(async () => {
    teams = await startTeamsFake();
    rig = await startChannelWorker('teams', main, {
      TEAMS_DESTINATIONS: JSON.stringify({ [tenant]: teams.workflowUrl('ops') }),
      TEAMS_ALLOW_NETWORKS: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await teams?.close();
  });

  it('delivers an Adaptive Card 1.4 styled by severity', async () => {
    const d = sampleDispatch('teams', { tenant, severity: 'warning', severity_label: 'medium' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).at(-1)).toMatchObject({ status: 'delivered', provider: 'teams' });
    const card = teams.cards().at(-1);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card?.body?.[0]).toMatchObject({ style: 'warning', items: [{ color: 'Warning' }] });
  });

  it('waits out 429 Retry-After, and retries a 5xx, then delivers', async () => {
    const limited = sampleDispatch('teams', { tenant });
    teams.failNext({ status: 429, headers: { 'retry-after': '1' } });
    await rig.dispatch(limited);
    expect((await rig.terminal(limited.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_429'],
      ['delivered', null],
    ]);
    const failing = sampleDispatch('teams', { tenant });
    teams.failNext({ status: 500 });
    await rig.dispatch(failing);
    expect((await rig.terminal(failing.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_500'],
      ['delivered', null],
    ]);
  });

  it('dead-letters a rejected request with the flow error', async () => {
    const d = sampleDispatch('teams', { tenant });
    teams.failNext({ status: 400, body: { error: { code: 'InvalidRequestContent', message: 'bad card' } } });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'http_400']]);
    expect((await rig.deadLetter(d.notification_id)).reason).toContain('InvalidRequestContent');
  });
});
