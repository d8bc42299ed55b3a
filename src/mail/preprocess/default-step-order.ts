import type { PreprocessStepConfig } from './step-types.ts';

/** Every built-in step enabled, in the recommended order (`--preprocess all`). */
export const defaultStepOrder: readonly PreprocessStepConfig[] = Object.freeze([
  { step: 'remove-quoted-reply' },
  { step: 'remove-banner' },
  { step: 'html-to-text' },
  { step: 'remove-signature' },
  { step: 'remove-disclaimer' },
  { step: 'normalize-whitespace' },
].map((s) => Object.freeze(s)));
