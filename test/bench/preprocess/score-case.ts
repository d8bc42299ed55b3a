import { convertHtmlToText } from '../../../src/mail/preprocess/html/convert-html-to-text.ts';
import type { BenchCase } from './bench-case.ts';

export type Verdict = 'exact' | 'over' | 'under' | 'crash';

/**
 * Exact match of the visible text after whitespace normalisation. A miss is over-trimming when words the
 * expectation keeps are missing from the output (the worse error: the sender's words are lost), else under-trimming.
 */
export function scoreCase(c: BenchCase, output: string | Error): Verdict {
  if (output instanceof Error) return 'crash';
  const norm = c.compare === 'no-whitespace' ? (s: string) => s.replace(/\s+/g, '') : (s: string) => s.replace(/\s+/g, ' ').trim();
  const out = norm(output);
  const e = c.expect;
  switch (e.kind) {
    case 'mustNotThrow':
      return 'exact';
    case 'equals': {
      const expected = norm(e.text);
      if (out === expected || (e.orEmpty === true && out === '')) return 'exact';
      // Words are told apart on the whitespace-collapsed text: with no-whitespace comparison the whole text is one "word".
      const words = (s: string): string => s.replace(/\s+/g, ' ').trim();
      return keepsAllWords(words(output), words(e.text)) ? 'under' : 'over';
    }
    case 'checks': {
      const input = norm(c.input.type === 'html' ? convertHtmlToText(c.input.body) : c.input.body);
      if (e.nothingRemoved === true && out !== input) return out.length < input.length ? 'over' : 'under';
      if (e.startsWith !== undefined && !out.startsWith(norm(e.startsWith))) return out.includes(norm(e.startsWith)) ? 'under' : 'over';
      if ((e.includes ?? []).some((s) => !out.includes(norm(s)))) return 'over';
      if ((e.excludes ?? []).some((s) => out.includes(norm(s)))) return 'under';
      return 'exact';
    }
  }
}

/** Whether every word of `expected` appears in `output`, in order (extra words in between are allowed). */
function keepsAllWords(output: string, expected: string): boolean {
  const have = output.split(/\s+/);
  let at = 0;
  for (const word of expected.split(/\s+/)) {
    while (at < have.length && have[at] !== word) at++;
    if (at === have.length) return false;
    at++;
  }
  return true;
}
