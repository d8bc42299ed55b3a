import test from 'ava';
import { readFile } from 'node:fs/promises';
import { errorCodes } from '../../src/core/index.ts';

test('every error code is documented in the README with its exit code and retry class, and nothing else is', async (t) => {
  const readme = await readFile('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('## Design'));
  const documented = new Map([...section.matchAll(/^\| `([A-Z_]+)` \| (\d) \| (\w+) \|/gm)].map((m) => [m[1]!, { exit: Number(m[2]), retry: m[3] }]));
  t.deepEqual([...documented.keys()].sort(), Object.keys(errorCodes).sort());
  for (const [code, spec] of Object.entries(errorCodes)) {
    t.deepEqual(documented.get(code), { exit: spec.exit, retry: spec.retry }, code);
  }
});
