import type { StepDefinition } from '../step-definition.ts';
import { checkKnownKeys } from './option-checks.ts';

/**
 * normalize-whitespace: no trailing spaces, no invisible characters, at most one blank line in a row, trimmed ends,
 * and no decoration lines left dangling at the end ("--", "____", "ᐧ" — one symbol repeated, no words).
 */
export const normalizeWhitespaceStep: StepDefinition<Record<string, never>> = {
  name: 'normalize-whitespace',
  input: 'text',
  checkOptions: (options) => checkKnownKeys(options, []),
  parseOptions: () => ({}),
  run(state) {
    state.text = normalizeWhitespace(state.text);
  },
};

export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\u200b|\u200c|\u200d|\u2060|\ufeff|\u00ad/g, '')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .replace(/(?:\n[ \t]*([-_=*~#+>ᐧ])\1*[ \t]*)+$/u, '')
    .trim();
}
