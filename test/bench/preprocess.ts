/**
 * npm run bench:preprocess — our preprocessing against email-reply-parser, planer and talonjs over the public
 * corpora in ../shared/corpora (MAILROOM_CORPORA overrides). Prints a table per corpus, the speed checks, and as
 * its last line one JSON object with the figures. `--verbose` lists our misses.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './preprocess/bench-case.ts';
import { candidates, ours, type Cleaner } from './preprocess/cleaners.ts';
import { loadCorpora } from './preprocess/load-corpora.ts';
import { scoreCase, type Verdict } from './preprocess/score-case.ts';
import { checkForwardsKept, measureSpeed } from './preprocess/speed-and-forwards.ts';

interface Tally {
  cases: number;
  exact: number;
  over: number;
  under: number;
  crash: number;
  ms: number;
  misses: string[];
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corporaRoot = process.env['MAILROOM_CORPORA'] ?? resolve(repoRoot, '../shared/corpora');
const verbose = process.argv.includes('--verbose');

if (!existsSync(corporaRoot)) {
  console.error(`corpora not found at ${corporaRoot}; set MAILROOM_CORPORA`);
  process.exit(2);
}

const cases = await loadCorpora(corporaRoot);
const cleaners: Cleaner[] = [ours, ...candidates];
const corpusNames = [...new Set(cases.map((c) => c.corpus))];
const tallies = new Map<string, Map<string, Tally>>();

for (const cleaner of cleaners) {
  for (const c of cases) {
    const tally = tallyFor(c.corpus, cleaner.name);
    const started = performance.now();
    let output: string | Error;
    try {
      output = cleaner.clean(c);
    } catch (error) {
      output = error instanceof Error ? error : new Error(String(error));
    }
    tally.ms += performance.now() - started;
    record(tally, c, scoreCase(c, output), output);
  }
}

const accuracy = (t: Tally): number => (t.cases === 0 ? 0 : t.exact / t.cases);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
const summary: { name: string; cases: number; accuracy: number; best: { library: string; accuracy: number } }[] = [];

for (const corpus of corpusNames) {
  const rows = tallies.get(corpus) as Map<string, Tally>;
  console.log(`\n${corpus}`);
  console.log(`  ${'library'.padEnd(20)} ${'cases'.padStart(5)} ${'exact'.padStart(5)} ${'acc'.padStart(7)} ${'over'.padStart(5)} ${'under'.padStart(5)} ${'crash'.padStart(5)} ${'ms/msg'.padStart(8)}`);
  for (const [library, t] of rows) {
    console.log(`  ${library.padEnd(20)} ${String(t.cases).padStart(5)} ${String(t.exact).padStart(5)} ${pct(accuracy(t))} ${String(t.over).padStart(5)} ${String(t.under).padStart(5)} ${String(t.crash).padStart(5)} ${(t.ms / t.cases).toFixed(2).padStart(8)}`);
  }
  const ourTally = rows.get(ours.name) as Tally;
  const best = [...rows].filter(([name]) => name !== ours.name).sort((a, b) => accuracy(b[1]) - accuracy(a[1]))[0];
  summary.push({
    name: corpus,
    cases: ourTally.cases,
    accuracy: round(accuracy(ourTally)),
    best: { library: best?.[0] ?? '', accuracy: round(best === undefined ? 0 : accuracy(best[1])) },
  });
  if (verbose && ourTally.misses.length > 0) console.log(`  our misses:\n    ${ourTally.misses.join('\n    ')}`);
}

const all = corpusNames.map((name) => tallies.get(name)?.get(ours.name) as Tally);
const overall = all.reduce((sum, t) => ({ cases: sum.cases + t.cases, exact: sum.exact + t.exact, over: sum.over + t.over, under: sum.under + t.under, ms: sum.ms + t.ms }), { cases: 0, exact: 0, over: 0, under: 0, ms: 0 });
console.log(`\noverall (mailroom): ${overall.exact}/${overall.cases} = ${pct(overall.exact / overall.cases).trim()}, over-trimmed ${overall.over}, under-trimmed ${overall.under}, ${(overall.ms / overall.cases).toFixed(2)} ms/msg`);
for (const candidate of candidates) {
  const t = corpusNames.map((name) => tallies.get(name)?.get(candidate.name) as Tally);
  const exact = t.reduce((s, x) => s + x.exact, 0);
  const n = t.reduce((s, x) => s + x.cases, 0);
  console.log(`overall (${candidate.name}): ${exact}/${n} = ${pct(exact / n).trim()}, over-trimmed ${t.reduce((s, x) => s + x.over, 0)}, under-trimmed ${t.reduce((s, x) => s + x.under, 0)}`);
}

const forwards = await checkForwardsKept(corporaRoot);
console.log(`\nforwards kept whole with the default steps (product setting): ${forwards.kept}/${forwards.cases}`);
const speed = measureSpeed(corporaRoot);
console.log('speed (default steps, max of 5 runs each):');
for (const row of speed.rows) console.log(`  ${row.name.padEnd(44)} ${row.ms.toFixed(1).padStart(7)} ms`);
console.log(`  max ${speed.maxMs.toFixed(1)} ms (bar: < 50 ms)`);

console.log(
  JSON.stringify({
    overall: { cases: overall.cases, accuracy: round(overall.exact / overall.cases), overTrimmed: overall.over, underTrimmed: overall.under, msPerMessage: round(overall.ms / overall.cases) },
    corpora: summary,
    speed: { maxMs: round(speed.maxMs) },
  }),
);

function tallyFor(corpus: string, library: string): Tally {
  let rows = tallies.get(corpus);
  if (rows === undefined) tallies.set(corpus, (rows = new Map()));
  let tally = rows.get(library);
  if (tally === undefined) rows.set(library, (tally = { cases: 0, exact: 0, over: 0, under: 0, crash: 0, ms: 0, misses: [] }));
  return tally;
}

function record(tally: Tally, c: BenchCase, verdict: Verdict, output: string | Error): void {
  tally.cases++;
  if (verdict === 'exact') tally.exact++;
  else {
    if (verdict === 'over') tally.over++;
    if (verdict === 'under') tally.under++;
    if (verdict === 'crash') tally.crash++;
    const shown = output instanceof Error ? output.message : JSON.stringify(output.slice(0, 160));
    tally.misses.push(`${verdict.padEnd(5)} ${c.id}: ${shown}`);
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
