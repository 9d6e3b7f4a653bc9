import { PermanentError } from '@notify/errors';
import { payloadFields, slackMessage } from './slack-message';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';

describe('payloadFields', () => {
  it('labels the plain top-level values and leaves nested data out', () => {
    expect(
      payloadFields(JSON.stringify({ account_id: 'ACC-7', shortfall: 5000, urgent: true, positions: [{ s: 'AAPL' }], meta: { a: 1 } })),
    ).toEqual([
      { type: 'mrkdwn', text: '*Account Id*\nACC-7' },
      { type: 'mrkdwn', text: '*Shortfall*\n5000' },
      { type: 'mrkdwn', text: '*Urgent*\ntrue' },
    ]);
  });

  it('keeps at most ten, escapes mrkdwn, and cuts long values', () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    expect(payloadFields(JSON.stringify(many))).toHaveLength(10);
    const [field] = payloadFields(JSON.stringify({ note: `<!channel> & ${'x'.repeat(3000)}` }));
    expect(field?.text.startsWith('*Note*\n&lt;!channel&gt; &amp; x')).toBe(true);
    expect(field?.text.length).toBe(2000);
  });

  it('gives nothing for a payload that is not an object', () => {
    expect(payloadFields('[1,2]')).toEqual([]);
    expect(payloadFields('not json')).toEqual([]);
  });
});

describe('slackMessage', () => {
  it('puts the fields in the colour-barred attachment, after the body', () => {
    const d = sampleDispatch('slack', { tenant: 'acme' });
    const message = slackMessage(d, { title: 'MARGIN CALL on ACC-7', body: 'Add funds', data: {} });
    const blocks = message.attachments[0]?.blocks as Array<{ type: string; fields?: unknown[] }>;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    expect(blocks[1]?.fields?.length).toBeGreaterThan(0);
  });

  it("sends the template's own blocks instead, with title and body as the fallback text, and refuses blocks that are not a list", () => {
    const d = sampleDispatch('slack', { tenant: 'acme' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*ACC-7* owes $5,000.00' } }];
    expect(slackMessage(d, { title: 'Margin call', body: 'Add funds', data: {}, layout: blocks })).toEqual({
      text: 'Margin call: Add funds',
      blocks,
      attachments: [],
    });
    expect(() => slackMessage(d, { title: 't', body: 'b', data: {}, layout: { type: 'section' } })).toThrow(PermanentError);
  });
});
