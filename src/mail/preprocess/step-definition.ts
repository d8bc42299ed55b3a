import type { PipelineState } from './pipeline-state.ts';
import type { StepProblem } from './step-types.ts';

/** A built-in or user-defined step. Options are checked once (checkOptions) and parsed per run (parse). */
export interface StepDefinition<Options> {
  readonly name: string;
  /** 'html' steps can work on the HTML structure; 'text' steps need text, so HTML is converted before they run. */
  readonly input: 'html' | 'text';
  /** Problems in `options`, with JSON pointers relative to the options object ("" = the object itself). */
  checkOptions(options: Record<string, unknown>): StepProblem[];
  /** Options with defaults applied; only called on options checkOptions accepted. */
  parseOptions(options: Record<string, unknown>): Options;
  run(state: PipelineState, options: Options): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds steps of different option types; each is typed at its definition.
export type AnyStepDefinition = StepDefinition<any>;
