/**
 * Reads a key of a record decoded from Avro maps. Keys come from user data (event types, channel
 * names), so inherited members such as "constructor" or "__proto__" must not be mistaken for entries.
 */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
