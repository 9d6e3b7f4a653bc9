import { PermanentError, RetryableError } from '@notify/errors';
import { BUNDLED_TEMPLATES_DIR, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startTeamsFake, type TeamsFake } from '../../../tests/support/fakes/teams-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { TeamsProvider } from './teams-provider';

describe('TeamsProvider against a local Workflows trigger', () => {
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'teams');
  let teams: TeamsFake;
  let provider: TeamsProvider;

  beforeAll(async () => {
    teams = await startTeamsFake();
    provider = new TeamsProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5000, connections: 4 }),
      destinations: TenantDestinations.parse(JSON.stringify({ acme: teams.workflowUrl('acme') }), 'TEAMS_DESTINATIONS'),
    });
  });
  afterAll(async () => {
    await provider.close();
    await teams.close();
  });

  const send = (overrides: Parameters<typeof sampleDispatch>[1] = {}) => {
    const d = sampleDispatch('teams', overrides);
    return provider.send(d, render(d));
  };

  it('posts an Adaptive Card 1.4 with attention styling for critical and returns the run id', async () => {
    await expect(send()).resolves.toEqual({ providerRef: 'run-1' });
    const card = teams.cards().at(-1);
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
    expect(card?.body?.[0]).toMatchObject({
      type: 'Container',
      style: 'attention',
      items: [{ type: 'TextBlock', text: 'MARGIN CALL on ACC-7', color: 'Attention' }],
    });
    expect(card?.body?.[2]).toMatchObject({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'Type', value: 'MARGIN_CALL' }]) });
  });

  it("titles the card in the recipient's locale", async () => {
    await send({ locale: 'fr' });
    expect(teams.cards().at(-1)?.body?.[0]).toMatchObject({ items: [{ type: 'TextBlock', text: 'APPEL DE MARGE sur ACC-7' }] });
  });

  it('honours Retry-After on 429 and retries 5xx', async () => {
    teams.failNext({ status: 429, headers: { 'retry-after': '5' } });
    const limited = await send().catch((e: unknown) => e);
    expect((limited as RetryableError).retryAfterMs).toBe(5000);
    teams.failNext({ status: 500 });
    await expect(send()).rejects.toBeInstanceOf(RetryableError);
  });

  it('fails permanently with the flow error code and message', async () => {
    const error = await send({ address: teams.workflowUrl('x').replace('/workflows/', '/nothing/') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toContain('WorkflowNotFound');
  });

  it('has no destination for a tenant without one and no default', async () => {
    const error = await send({ tenant: 'other' }).catch((e: unknown) => e);
    expect((error as PermanentError).code).toBe('no_address');
  });
});
