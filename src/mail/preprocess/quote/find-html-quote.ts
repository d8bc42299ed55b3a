import { isTag, type AnyNode, type Document, type Element } from 'domhandler';
import { textContent } from 'domutils';

/**
 * The first element where a mail client put the quoted original, found by its markup rather than its words:
 *  - Outlook web / new Outlook: <div id="divRplyFwdMsg">, usually right after an <hr>; <div id="appendonsend"> before it.
 *  - Outlook desktop: the header divider <div style="border:none;border-top:solid #E1E1E1 1.0pt;…"> (#B5C4DF in 2007/2010).
 *  - Outlook for Mac: <div id="OLK_SRC_BODY_SECTION"> / <span id="OLK_SRC_BODY_SECTION">.
 *  - Gmail: <div class="gmail_quote"> holding the attribution and a <blockquote class="gmail_quote">.
 *  - Apple Mail / iOS, Thunderbird: <blockquote type="cite">, Thunderbird's <div class="moz-cite-prefix"> above it.
 *  - Yahoo: <div class="yahoo_quoted">.
 */
export const quoteClients = ['outlook', 'gmail', 'apple', 'thunderbird', 'yahoo'] as const;
export type QuoteClient = (typeof quoteClients)[number];

/** The markup families findHtmlQuote knows; the step's "clients" option and the client packs both map onto them. */
export type QuoteMarkup = 'outlook-desktop' | 'outlook-web' | 'gmail' | 'apple' | 'thunderbird' | 'yahoo';
export const allQuoteMarkup: ReadonlySet<QuoteMarkup> = new Set(['outlook-desktop', 'outlook-web', 'gmail', 'apple', 'thunderbird', 'yahoo']);

export function findHtmlQuote(document: Document, clients: ReadonlySet<QuoteMarkup> = allQuoteMarkup): Element | null {
  let found: Element | null = null;
  const visit = (nodes: readonly AnyNode[]): void => {
    for (const node of nodes) {
      if (found !== null) return;
      if (!isTag(node)) continue;
      if (isQuoteContainer(node, clients)) {
        found = startOf(node);
        return;
      }
      visit(node.children);
    }
  };
  visit(document.children);
  return found;
}

function isQuoteContainer(element: Element, clients: ReadonlySet<QuoteMarkup>): boolean {
  const id = (element.attribs['id'] ?? '').toLowerCase();
  const classes = ` ${(element.attribs['class'] ?? '').toLowerCase()} `;
  const style = (element.attribs['style'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (clients.has('outlook-web') && (id === 'divrplyfwdmsg' || id === 'appendonsend' || id.startsWith('x_divrplyfwdmsg'))) return true;
  if (clients.has('outlook-desktop')) {
    if (id === 'olk_src_body_section') return true;
    if (element.name === 'div' && /border-top:solid#(?:e1e1e1|b5c4df)/.test(style) && /from|von|de|da|van|od|fra|från/i.test(textContent(element).slice(0, 60))) return true;
  }
  if (clients.has('yahoo') && classes.includes(' yahoo_quoted ')) return true;
  // blockquote type=cite is written by Apple Mail/iOS and Thunderbird alike.
  if ((clients.has('apple') || clients.has('thunderbird')) && element.name === 'blockquote' && (element.attribs['type'] ?? '').toLowerCase() === 'cite') return true;
  if (clients.has('thunderbird') && classes.includes(' moz-cite-prefix ')) return true;
  // Gmail: only the container that actually holds a quote; the class alone also turns up inside new text when
  // someone pastes from another mail.
  if (clients.has('gmail') && classes.includes(' gmail_quote ') && element.name === 'div') {
    return element.children.some((child) => isTag(child) && (child.name === 'blockquote' || / gmail_attr /.test(` ${child.attribs['class'] ?? ''} `)));
  }
  return false;
}

/** Widens the start to the separator that belongs to the quote: Outlook web's <hr> right before divRplyFwdMsg. */
function startOf(element: Element): Element {
  let previous = element.prev;
  while (previous !== null && !isTag(previous) && textContent(previous).trim() === '') previous = previous.prev;
  if (previous !== null && isTag(previous) && previous.name === 'hr') return previous;
  return element;
}
