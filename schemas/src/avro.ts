/** Loads the .avsc files; the registry and the codec both start from these texts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaName } from './topics';

const AVRO_DIR = join(__dirname, '..', 'avro');

export function schemaText(name: SchemaName): string {
  return readFileSync(join(AVRO_DIR, `${name}.avsc`), 'utf8');
}
