import type { Message } from '../parse/index.ts';
import type { PreprocessResult, PreprocessStepConfig } from './step-types.ts';

export function preprocessMessage(message: Message, steps: readonly PreprocessStepConfig[]): PreprocessResult {
  void steps;
  return { text: message.text ?? '', trace: [] };
}
