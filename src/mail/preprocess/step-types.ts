/** One entry of a rule file's "preprocess" array. */
export interface PreprocessStepConfig {
  step: string;
  /** Default true. */
  enabled?: boolean;
  options?: Record<string, unknown>;
  /**
   * The enabled packs (see packs/pack-catalog.ts), in order. Not written in rule files: the rule loader fills it
   * from the file's top-level "packs" list. Absent means every pack, for callers that do not use rule files.
   */
  packs?: readonly string[];
}

export interface PreprocessTrace {
  step: string;
  before: string;
  after: string;
  changed: boolean;
}

export interface PreprocessResult {
  text: string;
  trace: PreprocessTrace[];
}

/** A problem in a rule file's "preprocess" array; `pointer` is a JSON Pointer relative to that array ("/2/options/pattern"). */
export interface StepProblem {
  pointer: string;
  message: string;
}
