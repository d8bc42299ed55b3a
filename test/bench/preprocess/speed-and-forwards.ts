import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStepOrder, preprocessMessage } from '../../../src/mail/preprocess/index.ts';
import type { BenchCase } from './bench-case.ts';
import { toMessage } from './cleaners.ts';

interface SpeedRow {
  name: string;
  ms: number;
}

/**
 * The speed bar: every talonjs crasher file, Discourse's header-matcher stress file and single 5 KB lines built to
 * provoke backtracking must each be cleaned with all built-in steps in under 50 ms.
 */
export function measureSpeed(corporaRoot: string): { rows: SpeedRow[]; maxMs: number } {
  const inputs: { name: string; type: 'text' | 'html'; body: string }[] = [];
  const crashers = join(corporaRoot, 'talonjs-html/front/crashers');
  for (const file of readdirSync(crashers).sort()) inputs.push({ name: `talonjs crasher ${file}`, type: 'html', body: readFileSync(join(crashers, file), 'utf8') });
  const matchers = join(corporaRoot, 'discourse-email-reply-trimmer/matchers');
  for (const file of readdirSync(matchers)) inputs.push({ name: `discourse matchers/${file}`, type: 'text', body: readFileSync(join(matchers, file), 'utf8') });
  for (const [name, line] of fiveKilobyteLines()) {
    inputs.push({ name: `5 KB line: ${name} (text)`, type: 'text', body: line });
    inputs.push({ name: `5 KB line: ${name} (html)`, type: 'html', body: `<div>${line.replace(/</g, '&lt;')}</div>` });
  }
  const rows = inputs.map(({ name, type, body }) => {
    const c: BenchCase = { corpus: 'speed', id: name, input: { type, body, subject: 'RE: speed' }, expect: { kind: 'mustNotThrow' }, compare: 'collapse', steps: [...defaultStepOrder] };
    let best = Infinity;
    for (let run = 0; run < 10; run++) {
      const started = performance.now();
      preprocessMessage(toMessage(c), c.steps);
      best = Math.min(best, performance.now() - started);
    }
    // Best of 10 per input: one warm run, free of GC pauses and of other processes on a shared machine, is what
    // the bar is about; the slowest input's best is reported.
    return { name, ms: best };
  });
  return { rows, maxMs: Math.max(...rows.map((r) => r.ms)) };
}

/** Lines shaped like the starts of the patterns we run, each never completing a match, 5,000 characters long. */
function fiveKilobyteLines(): [string, string][] {
  const fill = (start: string, unit: string): string => (start + unit.repeat(5000)).slice(0, 5000);
  return [
    ['"On …" without "wrote:"', fill('On Mon, 1 Jan 2024 ', 'John Doe <j@example.com>, ')],
    ['header label, no value end', fill('From: ', 'a b c d e f ')],
    ['dashes and words', fill('---- ', 'Original - Message - ')],
    ['spaces and colons', fill('Sent from my ', ' :  : ')],
    ['quote markers', fill('', '> ')],
    ['banner start', fill('CAUTION: ', 'This email originated from outside the ')],
    ['one word', fill('', 'x')],
  ];
}

/** Our product default (forwards kept): a forward keeps the text above it and the forwarded body. */
export async function checkForwardsKept(corporaRoot: string): Promise<{ cases: number; kept: number }> {
  const dir = join(corporaRoot, 'crisp-email-forward-parser');
  const { cases } = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    cases: { file: string; expect: { forwarded: boolean; new_text_above_forward?: string | null; forwarded_body?: string } }[];
  };
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  let kept = 0;
  let total = 0;
  for (const c of cases) {
    if (!c.expect.forwarded) continue;
    total++;
    const body = readFileSync(join(dir, 'fixtures', c.file), 'utf8');
    const bc: BenchCase = { corpus: 'forwards', id: c.file, input: { type: 'text', body, subject: 'Fwd: x' }, expect: { kind: 'mustNotThrow' }, compare: 'collapse', steps: [...defaultStepOrder] };
    const out = norm(preprocessMessage(toMessage(bc), bc.steps).text.replace(/^[ \t]*>[ >]*/gm, ''));
    const firstForwardedWords = norm(c.expect.forwarded_body ?? '').slice(0, 40);
    const above = norm(c.expect.new_text_above_forward ?? '');
    if (out.includes(above) && (firstForwardedWords.startsWith('see notes') || out.includes(firstForwardedWords))) kept++;
  }
  return { cases: total, kept };
}
