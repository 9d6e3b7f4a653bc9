import { unencodableTopics } from './encodable';

describe('unencodableTopics', () => {
  const ack = { tenant: 'acme', user_id: 'u1', notification_id: 'n1', event_id: 'e1', action: 'acknowledged', at: 1 };

  it('names the topic of each value its schema cannot encode', () => {
    expect(
      unencodableTopics([
        { topic: 'notifications.acks', value: ack },
        { topic: 'notifications.acks', value: { ...ack, at: 'soon' } },
      ]),
    ).toEqual(['notifications.acks']);
  });

  it('refuses a topic it does not know', () => {
    expect(() => unencodableTopics([{ topic: 'no.such.topic', value: {} }])).toThrow('unknown topic no.such.topic');
  });
});
