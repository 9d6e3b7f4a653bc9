import { compareSeverity, normaliseSeverity, SEVERITIES, severityRank } from './severity';
import { SeverityValues } from './generated/AcceptedEvent';

describe('severity scale', () => {
  it('orders the four canonical severities success < info < warning < critical', () => {
    expect(SEVERITIES).toEqual(['success', 'info', 'warning', 'critical']);
    expect(SEVERITIES.map(severityRank)).toEqual([0, 1, 2, 3]);
  });

  it('uses exactly the symbols of the Avro Severity enum', () => {
    expect([...SEVERITIES].sort()).toEqual([...SeverityValues].sort());
  });

  it.each([
    ['success', 'success'],
    ['ok', 'success'],
    ['resolved', 'success'],
    ['positive', 'success'],
    ['info', 'info'],
    ['low', 'info'],
    ['minor', 'info'],
    ['notice', 'info'],
    ['debug', 'info'],
    ['informational', 'info'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['medium', 'warning'],
    ['moderate', 'warning'],
    ['major', 'warning'],
    ['critical', 'critical'],
    ['high', 'critical'],
    ['urgent', 'critical'],
    ['error', 'critical'],
    ['fatal', 'critical'],
    ['emergency', 'critical'],
    ['alert', 'critical'],
    ['severe', 'critical'],
    ['crit', 'critical'],
  ] as const)('normalises %j to %s', (label, severity) => {
    expect(normaliseSeverity(label)).toBe(severity);
  });

  it('ignores case and surrounding whitespace', () => {
    expect(normaliseSeverity('  CRITICAL ')).toBe('critical');
    expect(normaliseSeverity('Medium')).toBe('warning');
  });

  it('returns undefined for unknown labels, including inherited object keys', () => {
    expect(normaliseSeverity('apocalyptic')).toBeUndefined();
    expect(normaliseSeverity('')).toBeUndefined();
    expect(normaliseSeverity('constructor')).toBeUndefined();
    expect(normaliseSeverity('__proto__')).toBeUndefined();
    expect(normaliseSeverity('toString')).toBeUndefined();
  });

  it('compares labels by rank through their aliases', () => {
    expect(compareSeverity('medium', 'low')).toBeGreaterThan(0);
    expect(compareSeverity('ok', 'info')).toBeLessThan(0);
    expect(compareSeverity('high', 'critical')).toBe(0);
    expect(compareSeverity('urgent', 'warning')).toBe(1);
  });

  it('throws on an unknown label, naming it', () => {
    expect(() => compareSeverity('low', 'bogus')).toThrow('unknown severity: bogus');
    expect(() => compareSeverity('bogus2', 'low')).toThrow('unknown severity: bogus2');
  });
});
