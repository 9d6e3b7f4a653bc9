import { PermanentError } from '@notify/errors';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { ADAPTIVE_CARD_SCHEMA, adaptiveCard } from './adaptive-card';

describe('adaptiveCard', () => {
  const d = sampleDispatch('teams', { tenant: 'acme' });

  it('builds a card from title and body when the template has none', () => {
    const card = adaptiveCard(d, { title: 'Margin call', body: 'Add funds', data: {} });
    expect(card).toMatchObject({ type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA });
    expect(JSON.stringify(card.body)).toContain('Add funds');
  });

  it("sends the template's own card, filling the schema and version it leaves out, and refuses anything but an Adaptive Card", () => {
    const own = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ACC-7 owes $5,000.00' }] };
    expect(adaptiveCard(d, { title: 't', body: 'b', data: {}, layout: own })).toEqual({
      $schema: ADAPTIVE_CARD_SCHEMA,
      msteams: { width: 'Full' },
      ...own,
    });
    expect(() => adaptiveCard(d, { title: 't', body: 'b', data: {}, layout: { type: 'MessageCard', body: [] } })).toThrow(PermanentError);
    expect(() => adaptiveCard(d, { title: 't', body: 'b', data: {}, layout: [] })).toThrow(PermanentError);
  });
});
