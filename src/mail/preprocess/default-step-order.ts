import type { PreprocessStepConfig } from './step-types.ts';

/**
 * Every built-in step enabled, in the recommended order (`--preprocess all`): quotes go first, while the HTML
 * structure is still there; then text; banners before signatures (a banner at the top could otherwise hide the
 * start); disclaimers before signatures (a long disclaimer under a "-- " signature would make it too long to cut);
 * whitespace last.
 */
export const defaultStepOrder: readonly PreprocessStepConfig[] = Object.freeze(
  [
    { step: 'remove-quoted-reply' },
    { step: 'html-to-text' },
    { step: 'remove-banner' },
    { step: 'remove-disclaimer' },
    { step: 'remove-signature' },
    { step: 'normalize-whitespace' },
  ].map((config) => Object.freeze(config)),
);
