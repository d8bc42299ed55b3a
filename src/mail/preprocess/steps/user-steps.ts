import type { StepDefinition } from '../step-definition.ts';
import { compileLinearPattern, type LinearPattern } from './linear-pattern.ts';
import { checkBoolean, checkFlags, checkKnownKeys } from './option-checks.ts';

/**
 * User-defined steps from a rule file. Patterns are JavaScript regular expressions run by a linear-time engine
 * (linear-pattern.ts), so a pattern like `(.*a){9}x` cannot stall a worker; flags i, m, s, u may be given ("g" is
 * implied for remove/replace).
 *  - regex-remove   { pattern, flags? }                    removes every match
 *  - regex-replace  { pattern, replacement, flags? }       replaces every match ($1… refer to groups)
 *  - cut-before     { pattern, flags?, keepMarker? }       removes everything before the first match
 *  - cut-after      { pattern, flags?, keepMarker? }       removes everything after the first match
 * keepMarker (default true for cut-before, false for cut-after) says whether the matched text itself stays.
 */
interface RegexOptions {
  regex: LinearPattern;
  replacement: string;
  keepMarker: boolean;
}

function checkRegexOptions(options: Record<string, unknown>, extraKeys: readonly string[]): ReturnType<StepDefinition<RegexOptions>['checkOptions']> {
  const flags = typeof options['flags'] === 'string' ? options['flags'] : 'm';
  return [
    ...checkKnownKeys(options, ['pattern', 'flags', ...extraKeys]),
    ...checkFlags(options, 'flags'),
    ...checkLinear(options['pattern'], flags),
  ];
}

function checkLinear(source: unknown, flags: string): ReturnType<StepDefinition<RegexOptions>['checkOptions']> {
  if (typeof source !== 'string' || source === '') return [{ pointer: '/pattern', message: 'must be a non-empty regular expression' }];
  const compiled = compileLinearPattern(source, flags);
  return compiled.ok ? [] : [{ pointer: '/pattern', message: compiled.message }];
}

/** Compiled patterns by flags and source: preprocessMessage parses a step's options for every message. */
const compiledPatterns = new Map<string, LinearPattern>();

function compile(options: Record<string, unknown>): LinearPattern {
  const flags = typeof options['flags'] === 'string' ? options['flags'] : 'm';
  const source = options['pattern'] as string;
  const key = `${flags}/${source}`;
  let pattern = compiledPatterns.get(key);
  if (pattern === undefined) {
    const compiled = compileLinearPattern(source, flags);
    if (!compiled.ok) throw new Error(`bug: unchecked pattern ${source}: ${compiled.message}`);
    pattern = compiled.pattern;
    if (compiledPatterns.size >= 1000) compiledPatterns.clear();
    compiledPatterns.set(key, pattern);
  }
  return pattern;
}

export const regexRemoveStep: StepDefinition<RegexOptions> = {
  name: 'regex-remove',
  input: 'text',
  checkOptions: (options) => checkRegexOptions(options, []),
  parseOptions: (options) => ({ regex: compile(options), replacement: '', keepMarker: false }),
  run(state, options) {
    state.text = options.regex.replaceAll(state.text, '');
  },
};

export const regexReplaceStep: StepDefinition<RegexOptions> = {
  name: 'regex-replace',
  input: 'text',
  checkOptions: (options) => [
    ...checkRegexOptions(options, ['replacement']),
    ...(typeof options['replacement'] === 'string' ? [] : [{ pointer: '/replacement', message: '"replacement" must be a string' }]),
  ],
  parseOptions: (options) => ({ regex: compile(options), replacement: options['replacement'] as string, keepMarker: false }),
  run(state, options) {
    state.text = options.regex.replaceAll(state.text, options.replacement);
  },
};

export const cutBeforeStep: StepDefinition<RegexOptions> = {
  name: 'cut-before',
  input: 'text',
  checkOptions: (options) => [...checkRegexOptions(options, ['keepMarker']), ...checkBoolean(options, 'keepMarker')],
  parseOptions: (options) => ({ regex: compile(options), replacement: '', keepMarker: options['keepMarker'] !== false }),
  run(state, options) {
    const match = options.regex.first(state.text);
    if (match === null) return;
    state.text = state.text.slice(options.keepMarker ? match.index : match.index + match.length);
  },
};

export const cutAfterStep: StepDefinition<RegexOptions> = {
  name: 'cut-after',
  input: 'text',
  checkOptions: (options) => [...checkRegexOptions(options, ['keepMarker']), ...checkBoolean(options, 'keepMarker')],
  parseOptions: (options) => ({ regex: compile(options), replacement: '', keepMarker: options['keepMarker'] === true }),
  run(state, options) {
    const match = options.regex.first(state.text);
    if (match === null) return;
    state.text = state.text.slice(0, options.keepMarker ? match.index + match.length : match.index);
  },
};
