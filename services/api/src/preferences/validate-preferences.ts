/**
 * The body of PUT /v1/prefs, checked field by field. Every value must be one the aggregator
 * understands exactly: it reads unknown severity filters as `all` and unparsable quiet hours as none,
 * so anything accepted here that it would misread would silently change what a user receives.
 */
import { CHANNELS, isChannel } from '@notify/schemas';
import { isPlainObject, join, rejectUnknownKeys, type FieldProblem, type Validated } from './field-problems';
import { SEVERITY_FILTERS, type PreferencesDocument, type SeverityFilter } from './preferences-document';
import { validTimeZone } from './time-zone';

/** The same alphabet ingest accepts for event types, so every type a producer can send can be named. */
const EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const MAX_EVENT_TYPES = 200;
export const MAX_FREQUENCY_LIMIT = 1000;

const TOP_LEVEL = ['channels', 'types', 'severity_filter', 'frequency_limits', 'quiet_hours'] as const;

export function validatePreferences(body: unknown): Validated<PreferencesDocument> {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(body)) return { ok: false, problems: [{ field: '(body)', message: 'must be a JSON object' }] };
  rejectUnknownKeys(body, TOP_LEVEL, '', problems);
  const document: PreferencesDocument = {
    channels: body.channels === undefined ? {} : channelSwitches(body.channels, 'channels', problems),
    types: body.types === undefined ? {} : typeSwitches(body.types, problems),
    severity_filter: body.severity_filter === undefined ? 'all' : severityFilter(body.severity_filter, problems),
    frequency_limits: body.frequency_limits === undefined ? {} : frequencyLimits(body.frequency_limits, problems),
    quiet_hours: body.quiet_hours === undefined ? null : quietHours(body.quiet_hours, problems),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: document };
}

function channelSwitches(value: unknown, field: string, problems: FieldProblem[]): Record<string, boolean> {
  if (!isPlainObject(value)) {
    problems.push({ field, message: 'must be an object of channel to true/false' });
    return {};
  }
  const entries: Array<[string, boolean]> = [];
  for (const [channel, enabled] of Object.entries(value)) {
    const at = join(field, channel);
    if (!isChannel(channel)) problems.push({ field: at, message: `is not a channel (one of ${CHANNELS.join(', ')})` });
    else if (typeof enabled !== 'boolean') problems.push({ field: at, message: 'must be true or false' });
    else entries.push([channel, enabled]);
  }
  return Object.fromEntries(entries);
}

function typeSwitches(value: unknown, problems: FieldProblem[]): Record<string, Record<string, boolean>> {
  if (!eventTypeMap(value, 'types', 'an object of event type to {channel: true/false}', problems)) return {};
  const entries: Array<[string, Record<string, boolean>]> = [];
  for (const [type, switches] of Object.entries(value)) {
    if (!eventTypeKey(type, 'types', problems)) continue;
    entries.push([type, channelSwitches(switches, join('types', type), problems)]);
  }
  return Object.fromEntries(entries);
}

function frequencyLimits(value: unknown, problems: FieldProblem[]): Record<string, number> {
  if (!eventTypeMap(value, 'frequency_limits', 'an object of event type to notifications per hour', problems)) return {};
  const entries: Array<[string, number]> = [];
  for (const [type, limit] of Object.entries(value)) {
    if (!eventTypeKey(type, 'frequency_limits', problems)) continue;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_FREQUENCY_LIMIT) {
      problems.push({ field: join('frequency_limits', type), message: `must be a whole number from 0 to ${MAX_FREQUENCY_LIMIT}` });
    } else {
      entries.push([type, limit]);
    }
  }
  return Object.fromEntries(entries);
}

function eventTypeMap(value: unknown, field: string, shape: string, problems: FieldProblem[]): value is Record<string, unknown> {
  if (!isPlainObject(value)) {
    problems.push({ field, message: `must be ${shape}` });
    return false;
  }
  if (Object.keys(value).length > MAX_EVENT_TYPES) {
    problems.push({ field, message: `may name at most ${MAX_EVENT_TYPES} event types` });
    return false;
  }
  return true;
}

function eventTypeKey(type: string, field: string, problems: FieldProblem[]): boolean {
  if (EVENT_TYPE.test(type)) return true;
  problems.push({ field: join(field, type), message: 'is not an event type (1 to 100 letters, digits and _ . : -)' });
  return false;
}

function severityFilter(value: unknown, problems: FieldProblem[]): SeverityFilter {
  if (typeof value === 'string' && (SEVERITY_FILTERS as readonly string[]).includes(value)) return value as SeverityFilter;
  problems.push({ field: 'severity_filter', message: `must be one of ${SEVERITY_FILTERS.join(', ')}` });
  return 'all';
}

function quietHours(value: unknown, problems: FieldProblem[]): PreferencesDocument['quiet_hours'] {
  if (value === null) return null;
  if (!isPlainObject(value)) {
    problems.push({ field: 'quiet_hours', message: 'must be {start, end, timezone} or null' });
    return null;
  }
  rejectUnknownKeys(value, ['start', 'end', 'timezone'], 'quiet_hours', problems);
  const start = clockTime(value.start, 'quiet_hours.start', problems);
  const end = clockTime(value.end, 'quiet_hours.end', problems);
  // Equal ends would read as "no quiet hours" downstream; saying so beats storing an ambiguous period.
  if (start !== null && start === end)
    problems.push({ field: 'quiet_hours.end', message: 'must differ from start (send null for no quiet hours)' });
  let timezone: string | null = null;
  if (value.timezone !== undefined && value.timezone !== null) {
    if (typeof value.timezone === 'string' && validTimeZone(value.timezone)) timezone = value.timezone;
    else
      problems.push({
        field: 'quiet_hours.timezone',
        message: 'must be an IANA time zone such as Europe/London, or null for the profile time zone',
      });
  }
  return start !== null && end !== null ? { start, end, timezone } : null;
}

function clockTime(value: unknown, field: string, problems: FieldProblem[]): string | null {
  if (typeof value === 'string' && CLOCK_TIME.test(value)) return value;
  problems.push({ field, message: value === undefined ? 'is required' : 'must be a time of day HH:MM from 00:00 to 23:59' });
  return null;
}
