import type { EnabledPacks } from '../packs/enabled-packs.ts';
import { packsReadMarker } from '../packs/marker-languages.ts';
import type { ClientPack } from '../packs/pack-catalog.ts';
import { findHtmlQuote, quoteClients, type QuoteClient, type QuoteMarkup } from '../quote/find-html-quote.ts';
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
 * apple, thunderbird, yahoo): whose markup to trust, within the enabled client packs. The words (header blocks,
 * attributions, separators) are read in every enabled language pack at once; a marker without words ('>' quotes)
 * needs no pack.
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
    const structural = state.html !== null && options.structure ? findHtmlQuote(state.html, quoteMarkup(options.clients, state.packs)) : null;
    removeQuote(view, options, { subject: state.message.subject, accept: (lines) => packsReadMarker(lines, state.packs) }, structural);
    state.commit(view);
  },
};

const markupOfOption: Record<QuoteClient, QuoteMarkup[]> = {
  outlook: ['outlook-desktop', 'outlook-web'],
  gmail: ['gmail'],
  apple: ['apple'],
  thunderbird: ['thunderbird'],
  yahoo: ['yahoo'],
};
const markupOfPack: Record<ClientPack, QuoteMarkup> = {
  'outlook-desktop': 'outlook-desktop',
  'outlook-web': 'outlook-web',
  'outlook-mobile': 'outlook-web',
  gmail: 'gmail',
  'apple-mail': 'apple',
  thunderbird: 'thunderbird',
  'yahoo-mail': 'yahoo',
};

/** The markup both the step's "clients" option and the enabled client packs allow. */
function quoteMarkup(clients: ReadonlySet<QuoteClient>, packs: EnabledPacks): Set<QuoteMarkup> {
  const fromPacks = new Set([...packs.clients].map((pack) => markupOfPack[pack]));
  return new Set([...clients].flatMap((client) => markupOfOption[client]).filter((markup) => fromPacks.has(markup)));
}
