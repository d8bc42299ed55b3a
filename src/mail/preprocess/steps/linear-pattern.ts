import { RE2JS } from 're2js';

/**
 * A user pattern from a rule file, run by RE2JS: a linear-time engine, so no pattern and no mail can make a step
 * backtrack for ever. Preprocessing is synchronous (preprocessMessage is pure and sync), and a synchronous JavaScript
 * RegExp cannot be interrupted, so a time bound would need a blocking call into another thread; an engine that
 * cannot blow up is the bound here instead. Syntax is JavaScript's (translated by RE2JS.translateRegExp), minus what
 * linear matching excludes: backreferences and lookahead (captureless lookbehind works). Measured by `npm run
 * bench:rules`: ~1.4 ms per step on an 18 kB body where the native engine takes ~0.07 ms; `(.*a){9}x` on 24 "a"
 * takes 0.4 ms where the native engine takes 150 ms (and hours on 40).
 */
export interface LinearPattern {
  /** Like String.prototype.replace with a global RegExp: every match, `$1`/`$<name>`/`$&` expanded. */
  replaceAll(text: string, replacement: string): string;
  /** The first match: its UTF-16 index and length, or null. */
  first(text: string): { index: number; length: number } | null;
}

export type LinearPatternResult = { ok: true; pattern: LinearPattern } | { ok: false; message: string };

/** Compiles `source` with JavaScript flags (i, m, s, u; g is ignored: replaceAll is global, first is not). */
export function compileLinearPattern(source: string, flags: string): LinearPatternResult {
  let translated: string;
  try {
    translated = RE2JS.translateRegExp(new RegExp(source, flags.replace(/[^imsu]/g, '')));
  } catch (error) {
    return { ok: false, message: `invalid regular expression: ${(error as Error).message}` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated, RE2JS.LOOKBEHINDS);
  } catch (error) {
    return {
      ok: false,
      message: `pattern uses syntax the linear-time engine does not run (backreferences, lookahead): ${(error as Error).message}`,
    };
  }
  return {
    ok: true,
    pattern: {
      replaceAll: (text, replacement) => re.matcher(text).replaceAll(replacement),
      first(text) {
        const match = re.exec(text) as RegExpExecArray | null;
        return match === null ? null : { index: match.index, length: match[0].length };
      },
    },
  };
}
