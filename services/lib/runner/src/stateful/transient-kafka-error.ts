/**
 * Which transaction failures are worth retrying with the same producer, and which mean another
 * instance now owns the partition (the producer was fenced) so this one must let go of it.
 */
const FENCED = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_PRODUCER_ID_MAPPING',
]);

function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as { type?: unknown; name?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof e.type === 'string') types.push(e.type);
    if (typeof e.name === 'string') types.push(e.name);
    current = e.originalError ?? e.cause;
  }
  return types;
}

export function isFenced(error: unknown): boolean {
  return errorTypes(error).some((t) => FENCED.has(t) || t === 'KafkaJSProducerFencedError');
}
