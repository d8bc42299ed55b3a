import { findHtmlQuote, quoteClients, type QuoteClient } from '../quote/find-html-quote.ts';
import { removeQuote, type RemoveQuoteOptions } from '../quote/remove-quote.ts';
import type { StepDefinition } from '../step-definition.ts';
import { checkEnum, checkKnownKeys, checkStringList } from './option-checks.ts';

/**
 * remove-quoted-reply: drops the quoted original under a reply (Outlook desktop/web/mobile header blocks in many
 * languages, Gmail, Apple Mail/iOS, Thunderbird, "-----Original Message-----", trailing '>' quotes).
 * Before html-to-text it works on the HTML structure first (Outlook's divRplyFwdMsg/appendonsend/border-top
 * divider, Gmail's gmail_quote, blockquote type=cite), then on the words.
 * Options: forwards "keep" (default: a forward is the request and stays) | "remove";
 * structure (default true): use the HTML markup, not only the words; clients (default all of outlook, gmail,
 * apple, thunderbird, yahoo): whose markup to trust. The words (header blocks, attributions, separators) are
 * recognised in every supported language at once: a language list would only add misses.
 */
export const removeQuotedReplyStep: StepDefinition<RemoveQuoteOptions & { structure: boolean; clients: Set<QuoteClient> }> = {
  name: 'remove-quoted-reply',
  input: 'html',
  checkOptions: (options) => [
    ...checkKnownKeys(options, ['forwards', 'structure', 'clients']),
    ...checkStringList(options, 'clients', quoteClients),
    ...checkEnum(options, 'forwards', ['keep', 'remove']),
    ...(options['structure'] === undefined || typeof options['structure'] === 'boolean' ? [] : [{ pointer: '/structure', message: '"structure" must be true or false' }]),
  ],
  parseOptions: (options) => ({
    forwards: options['forwards'] === 'remove' ? 'remove' : 'keep',
    structure: options['structure'] !== false,
    clients: new Set((options['clients'] as QuoteClient[] | undefined) ?? quoteClients),
  }),
  run(state, options) {
    const view = state.view();
    const structural = state.html !== null && options.structure ? findHtmlQuote(state.html, options.clients) : null;
    removeQuote(view, options, { subject: state.message.subject }, structural);
    state.commit(view);
  },
};
