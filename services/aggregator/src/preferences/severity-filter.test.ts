import type { Severity } from '@notify/schemas';
import { parseSeverityFilter, passesSeverityFilter, type SeverityFilter } from './severity-filter';

describe('passesSeverityFilter', () => {
  const cases: Array<[SeverityFilter, Severity[], Severity[]]> = [
    ['all', ['success', 'info', 'warning', 'critical'], []],
    ['warning_and_above', ['warning', 'critical'], ['success', 'info']],
    ['critical_only', ['critical'], ['success', 'info', 'warning']],
  ];

  it.each(cases)('%s lets %j through and stops %j', (filter, passed, stopped) => {
    for (const severity of passed) expect(passesSeverityFilter(severity, filter)).toBe(true);
    for (const severity of stopped) expect(passesSeverityFilter(severity, filter)).toBe(false);
  });
});

describe('parseSeverityFilter', () => {
  it.each([
    ['all', 'all'],
    ['warning_and_above', 'warning_and_above'],
    ['critical_only', 'critical_only'],
    [' Critical_Only ', 'critical_only'],
  ])('reads %j as %s', (text, filter) => {
    expect(parseSeverityFilter(text)).toBe(filter);
  });

  it.each(['', 'critical', 'high_only', 'constructor'])('reads the unknown value %j as all, so nothing is dropped by mistake', (text) => {
    expect(parseSeverityFilter(text)).toBe('all');
  });
});
