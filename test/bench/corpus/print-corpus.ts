// node --import tsx test/bench/corpus/print-corpus.ts [--seed 1] [--messages 2000] [--out DIR]
// Prints the corpus's mean and median size (and writes the .eml files to DIR when asked), to look at what bench:mail measures.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCorpusTally, describeCorpus, generateCorpus } from './index.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const out = arg('--out');
if (out) await mkdir(out, { recursive: true });
const tally = createCorpusTally();
let i = 0;
for (const mail of generateCorpus({ seed: Number(arg('--seed') ?? 1), count: Number(arg('--messages') ?? 2000) })) {
  tally.add(mail);
  if (out) await writeFile(join(out, `${String(i).padStart(5, '0')}-${mail.kind}.eml`), mail.mime, 'latin1');
  i += 1;
}
console.log(describeCorpus(tally.stats()));
console.log(JSON.stringify(tally.stats()));
