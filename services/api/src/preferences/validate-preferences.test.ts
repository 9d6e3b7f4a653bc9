import { validatePreferences } from './validate-preferences';

function problems(body: unknown): Array<{ field: string; message: string }> {
  const result = validatePreferences(body);
  if (result.ok) throw new Error('expected the body to be refused');
  return result.problems;
}

describe('validatePreferences', () => {
  it('accepts a full document and keeps every value', () => {
    const body = {
      channels: { email: true, sms: false },
      types: { MARGIN_CALL: { sms: true, voice: false } },
      severity_filter: 'warning_and_above',
      frequency_limits: { ORDER_FILLED: 10, 'trade.executed': 0 },
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Europe/London' },
    };
    expect(validatePreferences(body)).toEqual({ ok: true, value: body });
  });

  it('fills omitted fields with the defaults', () => {
    expect(validatePreferences({})).toEqual({
      ok: true,
      value: { channels: {}, types: {}, severity_filter: 'all', frequency_limits: {}, quiet_hours: null },
    });
  });

  it('reads a quiet period without a zone as the profile zone (null)', () => {
    const result = validatePreferences({ quiet_hours: { start: '23:30', end: '06:00' } });
    expect(result).toEqual(
      expect.objectContaining({
        ok: true,
        value: expect.objectContaining({ quiet_hours: { start: '23:30', end: '06:00', timezone: null } }),
      }),
    );
  });

  it('reports every bad field at once', () => {
    expect(
      problems({
        channels: { email: 'yes', carrier_pigeon: true },
        types: { MARGIN_CALL: { fax: true }, 'bad type!': { sms: true } },
        severity_filter: 'loud',
        frequency_limits: { ORDER_FILLED: 1001, MARGIN_CALL: 2.5, X: -1 },
        quiet_hours: { start: '24:00', end: '7:00', timezone: 'Mars/Olympus_Mons' },
        colour: 'blue',
      })
        .map((p) => p.field)
        .sort(),
    ).toEqual([
      'channels.carrier_pigeon',
      'channels.email',
      'colour',
      'frequency_limits.MARGIN_CALL',
      'frequency_limits.ORDER_FILLED',
      'frequency_limits.X',
      'quiet_hours.end',
      'quiet_hours.start',
      'quiet_hours.timezone',
      'severity_filter',
      'types.MARGIN_CALL.fax',
      'types.bad type!',
    ]);
  });

  it.each([
    ['a non-object body', [], '(body)'],
    ['channels as an array', { channels: ['email'] }, 'channels'],
    ['types with a non-object value', { types: { MARGIN_CALL: true } }, 'types.MARGIN_CALL'],
    ['quiet hours as a string', { quiet_hours: '22-07' }, 'quiet_hours'],
    ['quiet hours missing end', { quiet_hours: { start: '22:00' } }, 'quiet_hours.end'],
    ['quiet hours with an unknown key', { quiet_hours: { start: '22:00', end: '07:00', zone: 'UTC' } }, 'quiet_hours.zone'],
    ['equal start and end', { quiet_hours: { start: '07:00', end: '07:00' } }, 'quiet_hours.end'],
    ['a frequency limit as a string', { frequency_limits: { ORDER_FILLED: '10' } }, 'frequency_limits.ORDER_FILLED'],
    ['a non-string severity filter', { severity_filter: 3 }, 'severity_filter'],
    ['an empty time zone', { quiet_hours: { start: '22:00', end: '07:00', timezone: '' } }, 'quiet_hours.timezone'],
  ])('refuses %s', (_name, body, field) => {
    expect(problems(body).map((p) => p.field)).toContain(field);
  });

  it('bounds the number of event types', () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`TYPE_${i}`, 1]));
    expect(problems({ frequency_limits: many })).toEqual([{ field: 'frequency_limits', message: 'may name at most 200 event types' }]);
  });

  it('keeps keys such as "constructor" as plain data', () => {
    const result = validatePreferences(JSON.parse('{"types":{"constructor":{"sms":false}},"frequency_limits":{"toString":3}}'));
    expect(result.ok && result.value.types.constructor).toEqual({ sms: false });
    expect(result.ok && Object.hasOwn(result.value.frequency_limits, 'toString')).toBe(true);
  });
});
