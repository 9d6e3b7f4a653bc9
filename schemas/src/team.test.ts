import { isTeamChannel, isTeamRecipientKey, isTeamUserId, TEAM_NAME, teamChannelsOf, teamOf, teamUserId } from './team';

describe('team destinations', () => {
  it('covers the chat and paging channels only', () => {
    expect(teamChannelsOf(['inapp', 'pagerduty', 'email', 'slack', 'teams', 'webhook', 'discord'])).toEqual([
      'pagerduty',
      'slack',
      'teams',
      'discord',
    ]);
    expect(isTeamChannel('webhook')).toBe(false);
    expect(isTeamChannel('sms')).toBe(false);
  });

  it('names a team pseudo-recipient with a # user id and reads the team back', () => {
    expect(teamUserId('ops')).toBe('#ops');
    expect(isTeamUserId('#ops')).toBe(true);
    expect(isTeamUserId('u1')).toBe(false);
    expect(teamOf('#ops')).toBe('ops');
    expect(teamOf('u1')).toBeNull();
  });

  it('recognises a team recipient key by its user id, not by a # elsewhere', () => {
    expect(isTeamRecipientKey('acme/#team')).toBe(true);
    expect(isTeamRecipientKey('acme/u#1')).toBe(false);
    expect(isTeamRecipientKey('#acme/u1')).toBe(false);
    expect(isTeamRecipientKey('no-slash')).toBe(false);
  });

  it.each([
    ['team', true],
    ['risk-desk_2', true],
    ['a'.repeat(64), true],
    ['', false],
    ['Ops', false],
    ['a/b', false],
    ['a'.repeat(65), false],
  ])('team name %j valid: %s', (name, valid) => {
    expect(TEAM_NAME.test(name)).toBe(valid);
  });
});
