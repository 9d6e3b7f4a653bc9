/** Checks records against their topic's Avro schema without a registry, e.g. a handler's outputs in a unit test. */
import avro from 'avsc';
import { schemaText } from './avro';
import { topicSpec } from './topics';

/** The topics of those records whose value the topic's schema cannot encode, in order; an unknown topic throws. */
export function unencodableTopics(records: ReadonlyArray<{ topic: string; value: unknown }>): string[] {
  return records.filter((r) => !typeOf(r.topic).isValid(r.value)).map((r) => r.topic);
}

function typeOf(topic: string): avro.Type {
  const spec = topicSpec(topic);
  if (!spec) throw new Error(`unknown topic ${topic}`);
  return avro.Type.forSchema(JSON.parse(schemaText(spec.schema)) as avro.Schema);
}
