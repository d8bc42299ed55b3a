export type { PreprocessStepConfig, PreprocessTrace, PreprocessResult } from './step-types.ts';
export { preprocessMessage } from './preprocess-message.ts';
export { defaultStepOrder } from './default-step-order.ts';
export { checkPreprocessSteps, type StepProblem } from './check-preprocess-steps.ts';
export { packCatalog, packNames, isPackName, type PackDescription, type PackName } from './packs/pack-catalog.ts';
