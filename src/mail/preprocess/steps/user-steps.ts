import type { StepDefinition } from '../step-definition.ts';
import { checkBoolean, checkFlags, checkKnownKeys, checkPattern } from './option-checks.ts';

/**
 * User-defined steps from a rule file. Patterns are JavaScript regular expressions, checked at load time for
 * catastrophic backtracking; flags i, m, s, u may be given ("g" is implied for remove/replace).
 *  - regex-remove   { pattern, flags? }                    removes every match
 *  - regex-replace  { pattern, replacement, flags? }       replaces every match ($1… refer to groups)
 *  - cut-before     { pattern, flags?, keepMarker? }       removes everything before the first match
 *  - cut-after      { pattern, flags?, keepMarker? }       removes everything after the first match
 * keepMarker (default true for cut-before, false for cut-after) says whether the matched text itself stays.
 */
interface RegexOptions {
  regex: RegExp;
  replacement: string;
  keepMarker: boolean;
}

function checkRegexOptions(options: Record<string, unknown>, extraKeys: readonly string[]): ReturnType<StepDefinition<RegexOptions>['checkOptions']> {
  const flags = typeof options['flags'] === 'string' ? options['flags'] : 'm';
  return [
    ...checkKnownKeys(options, ['pattern', 'flags', ...extraKeys]),
    ...checkFlags(options, 'flags'),
    ...checkPattern(options['pattern'], flags.replace(/[^imsu]/g, ''), '/pattern'),
  ];
}

function compile(options: Record<string, unknown>, global: boolean): RegExp {
  const flags = typeof options['flags'] === 'string' ? options['flags'] : 'm';
  return new RegExp(options['pattern'] as string, `${flags}${global ? 'g' : ''}`);
}

export const regexRemoveStep: StepDefinition<RegexOptions> = {
  name: 'regex-remove',
  input: 'text',
  checkOptions: (options) => checkRegexOptions(options, []),
  parseOptions: (options) => ({ regex: compile(options, true), replacement: '', keepMarker: false }),
  run(state, options) {
    state.text = state.text.replace(options.regex, '');
  },
};

export const regexReplaceStep: StepDefinition<RegexOptions> = {
  name: 'regex-replace',
  input: 'text',
  checkOptions: (options) => [
    ...checkRegexOptions(options, ['replacement']),
    ...(typeof options['replacement'] === 'string' ? [] : [{ pointer: '/replacement', message: '"replacement" must be a string' }]),
  ],
  parseOptions: (options) => ({ regex: compile(options, true), replacement: options['replacement'] as string, keepMarker: false }),
  run(state, options) {
    state.text = state.text.replace(options.regex, options.replacement);
  },
};

export const cutBeforeStep: StepDefinition<RegexOptions> = {
  name: 'cut-before',
  input: 'text',
  checkOptions: (options) => [...checkRegexOptions(options, ['keepMarker']), ...checkBoolean(options, 'keepMarker')],
  parseOptions: (options) => ({ regex: compile(options, false), replacement: '', keepMarker: options['keepMarker'] !== false }),
  run(state, options) {
    const match = options.regex.exec(state.text);
    if (match === null) return;
    state.text = state.text.slice(options.keepMarker ? match.index : match.index + match[0].length);
  },
};

export const cutAfterStep: StepDefinition<RegexOptions> = {
  name: 'cut-after',
  input: 'text',
  checkOptions: (options) => [...checkRegexOptions(options, ['keepMarker']), ...checkBoolean(options, 'keepMarker')],
  parseOptions: (options) => ({ regex: compile(options, false), replacement: '', keepMarker: options['keepMarker'] === true }),
  run(state, options) {
    const match = options.regex.exec(state.text);
    if (match === null) return;
    state.text = state.text.slice(0, options.keepMarker ? match.index + match[0].length : match.index);
  },
};
