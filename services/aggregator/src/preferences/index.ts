/** Per-recipient preference decisions for the aggregator. */
export { decideChannel, type ChannelDecisionInput } from './decide-channel';
export type { ChannelDecision } from './channel-decision';
export { contactPoint, type ContactPoint } from './contact-point';
export { FrequencyWindow, DEFAULT_MAX_SENDS_PER_KEY } from './frequency-window';
export { FREQUENCY_WINDOW_MS, type FrequencyCounts } from './frequency-limit';
export { TimeZones, validTimeZone } from './time-zones';
export { parseClockTime } from './clock-time';
export { parseSeverityFilter, SEVERITY_FILTERS, type SeverityFilter } from './severity-filter';
export { quietPeriodEnd, quietSchedule, type QuietSchedule } from './quiet-hours';
