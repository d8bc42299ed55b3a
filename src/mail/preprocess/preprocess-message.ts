import { AppError } from '../../core/index.ts';
import type { Message } from '../parse/index.ts';
import { checkPreprocessSteps } from './check-preprocess-steps.ts';
import { resolveEnabledPacks } from './packs/enabled-packs.ts';
import { PipelineState } from './pipeline-state.ts';
import { stepRegistry } from './step-registry.ts';
import type { PreprocessResult, PreprocessStepConfig, PreprocessTrace } from './step-types.ts';

const IMPLICIT_CONVERSION = 'html-to-text (implicit)';

/**
 * Runs the enabled steps in the order given and returns the ticket text with a trace of every step.
 *
 * The body starts as the HTML part when there is one (quote markup is most reliable there), else the text part.
 * A ticket needs text, so HTML is converted with the default html-to-text settings, and traced as
 * "html-to-text (implicit)", when a text-only step comes before any html-to-text step, or when the list ends
 * with HTML left (no html-to-text step enabled).
 *
 * Pure. Throws RULE_INVALID only for a step list checkPreprocessSteps would have rejected (the rule loader
 * checks first, so this is a programming error).
 */
export function preprocessMessage(message: Message, steps: readonly PreprocessStepConfig[]): PreprocessResult {
  const problems = checkPreprocessSteps(steps);
  if (problems.length > 0) {
    throw new AppError('RULE_INVALID', `invalid preprocess steps: ${problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`, {
      details: { problems },
      hint: 'Check the rule file with `mailroom rules check`.',
    });
  }
  const state = new PipelineState(message);
  const trace: PreprocessTrace[] = [];
  // One step's "after" is the next step's "before": render each state once (a large HTML body costs ms per render).
  let current = state.snapshot();
  const record = (step: string, action: () => void): void => {
    const before = current;
    action();
    current = state.snapshot();
    trace.push({ step, before, after: current, changed: before !== current });
  };

  for (const config of steps) {
    if (config.enabled === false) continue;
    const definition = stepRegistry.get(config.step);
    if (definition === undefined) continue; // unreachable: checked above
    if (definition.input === 'text' && state.html !== null) record(IMPLICIT_CONVERSION, () => state.convertToText());
    const options = definition.parseOptions(config.options ?? {});
    state.packs = resolveEnabledPacks(config.packs);
    record(config.step, () => definition.run(state, options));
  }
  if (state.html !== null) record(IMPLICIT_CONVERSION, () => state.convertToText());
  return { text: state.text, trace };
}
