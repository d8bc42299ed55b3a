import { isPackName, packNames } from './packs/pack-catalog.ts';
import { stepRegistry } from './step-registry.ts';
import type { PreprocessStepConfig, StepProblem } from './step-types.ts';

export type { StepProblem };

/**
 * Everything wrong with a list of steps, all at once: unknown step names, wrong option types, unknown options,
 * invalid regular expressions and patterns that can backtrack catastrophically. An empty list means it will run.
 */
export function checkPreprocessSteps(steps: readonly PreprocessStepConfig[]): StepProblem[] {
  if (!Array.isArray(steps)) return [{ pointer: '', message: 'preprocess must be a list of steps' }];
  return steps.flatMap((config, index) => checkStep(config, `/${index}`));
}

function checkStep(config: PreprocessStepConfig, at: string): StepProblem[] {
  if (config === null || typeof config !== 'object') return [{ pointer: at, message: 'a step must be an object with a "step" name' }];
  const problems: StepProblem[] = [];
  for (const key of Object.keys(config)) {
    if (!['step', 'enabled', 'options', 'packs'].includes(key)) problems.push({ pointer: `${at}/${key}`, message: `unknown property "${key}"` });
  }
  if (config.packs !== undefined && (!Array.isArray(config.packs) || !config.packs.every(isPackName))) {
    problems.push({ pointer: `${at}/packs`, message: `"packs" must list known packs: ${packNames.join(', ')}` });
  }
  if (config.enabled !== undefined && typeof config.enabled !== 'boolean') problems.push({ pointer: `${at}/enabled`, message: '"enabled" must be true or false' });
  const definition = typeof config.step === 'string' ? stepRegistry.get(config.step) : undefined;
  if (definition === undefined) {
    problems.push({ pointer: `${at}/step`, message: `unknown step "${String(config.step)}"; known: ${[...stepRegistry.keys()].join(', ')}` });
    return problems;
  }
  const options = config.options ?? {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    problems.push({ pointer: `${at}/options`, message: '"options" must be an object' });
    return problems;
  }
  return [...problems, ...definition.checkOptions(options).map((p) => ({ pointer: `${at}/options${p.pointer}`, message: p.message }))];
}
