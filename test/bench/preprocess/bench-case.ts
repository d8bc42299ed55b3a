import { packNames, type PreprocessStepConfig } from '../../../src/mail/preprocess/index.ts';

/**
 * The packs the benchmark enables: every client and language pack, because the corpora hold mail of every client
 * and of 23 languages. A rule set that enables fewer recognises less; this is the figure for all of them on.
 */
export const benchPacks: readonly string[] = packNames;

/** What a corpus asserts about one input, restated as data the scorer understands. */
export type Expectation =
  /** orEmpty: an empty output is right too (a forward with nothing written above it may be dropped). */
  | { kind: 'equals'; text: string; orEmpty?: boolean }
  | { kind: 'checks'; startsWith?: string; includes?: string[]; excludes?: string[]; nothingRemoved?: boolean }
  | { kind: 'mustNotThrow' };

export interface BenchInput {
  type: 'text' | 'html';
  body: string;
  subject: string;
}

export interface BenchCase {
  corpus: string;
  id: string;
  input: BenchInput;
  expect: Expectation;
  /** How the corpus compares texts: collapse whitespace runs (default) or delete all whitespace (talon's HTML tests). */
  compare: 'collapse' | 'no-whitespace';
  /** Our steps for this case: the built-in steps that do what this corpus measures (see the corpus loaders). */
  steps: PreprocessStepConfig[];
}

export const quotesOnly: PreprocessStepConfig[] = [
  { step: 'remove-quoted-reply', options: { forwards: 'remove' } },
  { step: 'html-to-text' },
  { step: 'normalize-whitespace' },
].map((step) => ({ ...step, packs: benchPacks }));

export const quotesAndSignatures = (signature: Record<string, unknown> = {}): PreprocessStepConfig[] => [
  { step: 'remove-quoted-reply', options: { forwards: 'remove' } },
  { step: 'html-to-text' },
  { step: 'remove-signature', options: signature },
  { step: 'normalize-whitespace' },
].map((step) => ({ ...step, packs: benchPacks }));
