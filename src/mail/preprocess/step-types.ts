/** One entry of a rule file's "preprocess" array. */
export interface PreprocessStepConfig {
  step: string;
  /** Default true. */
  enabled?: boolean;
  options?: Record<string, unknown>;
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
