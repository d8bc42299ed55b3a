import type { AnyStepDefinition } from './step-definition.ts';
import { htmlToTextStep } from './steps/html-to-text-step.ts';
import { normalizeWhitespaceStep } from './steps/normalize-whitespace-step.ts';
import { removeBannerStep } from './steps/remove-banner-step.ts';
import { removeDisclaimerStep } from './steps/remove-disclaimer-step.ts';
import { removeQuotedReplyStep } from './steps/remove-quoted-reply-step.ts';
import { removeSignatureStep } from './steps/remove-signature-step.ts';
import { cutAfterStep, cutBeforeStep, regexRemoveStep, regexReplaceStep } from './steps/user-steps.ts';

export const builtInStepNames = [
  'html-to-text',
  'remove-quoted-reply',
  'remove-signature',
  'remove-disclaimer',
  'remove-banner',
  'normalize-whitespace',
] as const;

export const userStepNames = ['regex-remove', 'regex-replace', 'cut-before', 'cut-after'] as const;

export const stepRegistry: ReadonlyMap<string, AnyStepDefinition> = new Map<string, AnyStepDefinition>(
  [
    htmlToTextStep,
    removeQuotedReplyStep,
    removeSignatureStep,
    removeDisclaimerStep,
    removeBannerStep,
    normalizeWhitespaceStep,
    regexRemoveStep,
    regexReplaceStep,
    cutBeforeStep,
    cutAfterStep,
  ].map((step) => [step.name, step]),
);
