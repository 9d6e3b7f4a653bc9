import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './gen-types';

const generatedDir = join(__dirname, '..', '..', 'schemas', 'src', 'generated');
const avroDir = join(__dirname, '..', '..', 'schemas', 'avro');

describe('committed generated types', () => {
  const expected = generate();

  it('has one file per .avsc schema plus the index', () => {
    const schemas = readdirSync(avroDir)
      .filter((f) => f.endsWith('.avsc'))
      .map((f) => f.replace(/\.avsc$/, '.ts'));
    expect([...expected.keys()].sort()).toEqual([...schemas, 'index.ts'].sort());
  });

  it('holds exactly the files generate() produces, no more and no fewer', () => {
    expect(readdirSync(generatedDir).sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...generate().keys()])('%s equals what generate() produces now (run `npm run gen` after changing a schema)', (file) => {
    expect(readFileSync(join(generatedDir, file), 'utf8')).toBe(expected.get(file));
  });
});
