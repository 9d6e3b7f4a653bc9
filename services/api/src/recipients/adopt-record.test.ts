import { defaultContacts, type ContactsDocument } from '../preferences/contacts-document';
import { adoptRecord, sameContacts, type StoredUser } from './adopt-record';

const contacts = (overrides: Partial<ContactsDocument> = {}): ContactsDocument => ({ ...defaultContacts(), ...overrides });
const apiUser = (document: ContactsDocument, updatedAt: number): StoredUser => ({ document, updatedAt, contactsFromApi: true });
const mirrorUser = (document: ContactsDocument, updatedAt: number): StoredUser => ({ document, updatedAt, contactsFromApi: false });
const NEW_ROW = mirrorUser(defaultContacts(), 0);

describe('adoptRecord', () => {
  it('takes a first record whole, and publishes nothing: the topic already says it', () => {
    const foreign = contacts({ email: 'a@example.com', audiences: ['tier:TIER_1_SFO'], opted_out: ['sms'] });
    expect(adoptRecord(NEW_ROW, foreign, 1000)).toEqual({ document: foreign, updatedAt: 1000, changed: true, republish: false });
  });

  it('follows later records of a user whose contact points never came through the API', () => {
    const stored = mirrorUser(contacts({ email: 'old@example.com', audiences: ['tier:TIER_1'] }), 1000);
    const foreign = contacts({ email: 'new@example.com', phone: '+15550100', audiences: ['tier:TIER_2'] });
    expect(adoptRecord(stored, foreign, 2000)).toEqual({ document: foreign, updatedAt: 2000, changed: true, republish: false });
  });

  it('takes the memberships of a newer record but keeps contact points set through the API, and republishes them', () => {
    const stored = apiUser(contacts({ email: 'me@example.com', audiences: ['desk:fx'] }), 1000);
    const foreign = contacts({ audiences: ['tier:TIER_1_SFO'] });
    const adoption = adoptRecord(stored, foreign, 2000);
    expect(adoption.document).toEqual(contacts({ email: 'me@example.com', audiences: ['tier:TIER_1_SFO'] }));
    expect(adoption).toMatchObject({ updatedAt: 2000, changed: true, republish: true });
  });

  it('does not republish a newer record that already says what the API holds', () => {
    const stored = apiUser(contacts({ email: 'me@example.com', audiences: ['desk:fx'] }), 1000);
    const foreign = contacts({ email: 'me@example.com', audiences: ['tier:TIER_1', 'desk:fx'] });
    expect(adoptRecord(stored, foreign, 2000)).toMatchObject({ changed: true, republish: false });
  });

  it("merges the memberships of a record older than the row's last change, and republishes only when that added one", () => {
    const stored = apiUser(contacts({ email: 'me@example.com', audiences: ['desk:fx'] }), 2000);
    const grew = adoptRecord(stored, contacts({ audiences: ['tier:TIER_1_SFO'] }), 1500);
    expect(grew.document.audiences).toEqual(['desk:fx', 'tier:TIER_1_SFO']);
    expect(grew).toMatchObject({ updatedAt: 2000, changed: true, republish: true });

    const same = adoptRecord(stored, contacts({ email: 'stale@example.com', audiences: ['desk:fx'] }), 1500);
    expect(same).toEqual({ document: stored.document, updatedAt: 2000, changed: false, republish: false });
  });

  it('takes the contact points of an older record for a row the API only made for memberships', () => {
    // The import created the row (default contacts) after the other writer's record, and published it without the email.
    const stored = mirrorUser(contacts({ audiences: ['tier:TIER_1'] }), 2000);
    const adoption = adoptRecord(stored, contacts({ email: 'a@example.com', audiences: ['tier:TIER_2'] }), 1500);
    expect(adoption.document).toEqual(contacts({ email: 'a@example.com', audiences: ['tier:TIER_1', 'tier:TIER_2'] }));
    expect(adoption).toMatchObject({ changed: true, republish: true });
  });

  it('treats a record at the same instant as the row as newer', () => {
    const stored = mirrorUser(contacts({ audiences: ['tier:TIER_1'] }), 2000);
    expect(adoptRecord(stored, contacts({ audiences: [] }), 2000).document.audiences).toEqual([]);
  });

  it('drops repeated memberships', () => {
    expect(adoptRecord(NEW_ROW, contacts({ audiences: ['a:1', 'a:1', 'a:2'] }), 10).document.audiences).toEqual(['a:1', 'a:2']);
  });
});

describe('sameContacts', () => {
  it('ignores the order and repeats of lists and the order of map keys', () => {
    const sub = (endpoint: string) => ({ endpoint, p256dh: 'k', auth: 'a' });
    expect(
      sameContacts(
        contacts({
          audiences: ['a:1', 'a:2'],
          push_subscriptions: [sub('https://x/1'), sub('https://x/2')],
          chat: { slack: 'https://s', teams: 'https://t' },
        }),
        contacts({
          audiences: ['a:2', 'a:1', 'a:1'],
          push_subscriptions: [sub('https://x/2'), sub('https://x/1')],
          chat: { teams: 'https://t', slack: 'https://s' },
        }),
      ),
    ).toBe(true);
  });

  it('tells any field apart', () => {
    const base = contacts({ email: 'a@example.com' });
    expect(sameContacts(base, { ...base, email_verified: true })).toBe(false);
    expect(sameContacts(base, { ...base, timezone: 'Europe/London' })).toBe(false);
    expect(sameContacts(base, { ...base, opted_out: ['sms'] })).toBe(false);
    expect(sameContacts(base, { ...base, chat: { slack: 'https://s' } })).toBe(false);
    expect(sameContacts(base, { ...base, audiences: ['a:1'] })).toBe(false);
  });
});
