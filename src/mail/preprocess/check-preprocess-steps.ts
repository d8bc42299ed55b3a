import type { PreprocessStepConfig } from './step-types.ts';

/** A problem in a rule file's "preprocess" array; `pointer` is a JSON Pointer relative to that array. */
export interface StepProblem {
  pointer: string;
  message: string;
}

export function checkPreprocessSteps(steps: readonly PreprocessStepConfig[]): StepProblem[] {
  void steps;
  return [];
}
