import type { HtmlToTextOptions } from '../html/convert-html-to-text.ts';
import type { StepDefinition } from '../step-definition.ts';
import { checkBoolean, checkKnownKeys } from './option-checks.ts';

/**
 * html-to-text: turns the HTML body into text (html-to-text v10): links as "text <url>", tables with borders as
 * grids, images dropped. A no-op for a text-only mail. Steps after it see text only.
 */
export const htmlToTextStep: StepDefinition<HtmlToTextOptions> = {
  name: 'html-to-text',
  input: 'html',
  checkOptions: (options) => [...checkKnownKeys(options, ['links', 'tables']), ...checkBoolean(options, 'links'), ...checkBoolean(options, 'tables')],
  parseOptions: (options) => ({ links: options['links'] !== false, tables: options['tables'] !== false }),
  run(state, options) {
    state.convertToText(options);
  },
};
