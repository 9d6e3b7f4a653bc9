/** kafkajs log lines from the bench's own clients: only problems, on stderr, so the report stays readable. */
import type { KafkaLogger } from '@notify/kafka';

/**
 * Printed by kafkajs for every idempotent producer of our port, which sets its own retry limit;
 * it says nothing about this run.
 */
const KNOWN_NOTICE = 'Limiting retries for the idempotent producer';

export const benchKafkaLogger: KafkaLogger = {
  error: (fields, message) => console.error(`[kafka] ${message}`, fields),
  warn: (fields, message) => {
    if (!message.startsWith(KNOWN_NOTICE)) console.error(`[kafka] ${message}`, fields);
  },
  info: () => {},
  debug: () => {},
};
