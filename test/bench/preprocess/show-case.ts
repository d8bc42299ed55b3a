/** Debug aid: `node --import tsx test/bench/preprocess/show-case.ts <id substring>` prints input, expectation and our output. */
import { resolve } from 'node:path';
import { preprocessMessage } from '../../../src/mail/preprocess/index.ts';
import { toMessage } from './cleaners.ts';
import { loadCorpora } from './load-corpora.ts';
import { scoreCase } from './score-case.ts';

const root = process.env['MAILROOM_CORPORA'] ?? resolve(import.meta.dirname, '../../../../shared/corpora');
const wanted = process.argv[2] ?? '';
for (const c of (await loadCorpora(root)).filter((x) => x.id.includes(wanted))) {
  const result = preprocessMessage(toMessage(c), c.steps);
  console.log(`=== ${c.corpus} ${c.id}: ${scoreCase(c, result.text)}`);
  if (process.argv.includes('--input')) console.log(`--- input\n${c.input.body.slice(0, 3000)}`);
  console.log(`--- expected\n${JSON.stringify(c.expect).slice(0, 1500)}\n--- ours\n${result.text.slice(0, 1500)}`);
  for (const t of result.trace) console.log(`  ${t.step}: ${t.changed ? 'changed' : '-'}`);
}
