import { compile } from 'html-to-text';

export interface HtmlToTextOptions {
  /** Keep link targets after the link text ("text <https://…>"). Default true. */
  links: boolean;
  /** Lay out tables with <th> cells as text grids; other (layout) tables become plain blocks. Default true. */
  tables: boolean;
}

export const defaultHtmlToTextOptions: HtmlToTextOptions = Object.freeze({ links: true, tables: true });

const compiled = new Map<string, (html: string) => string>();

/** html-to-text with settings that keep a ticket readable: no wrapping, links kept once, data tables as grids, no images. */
export function convertHtmlToText(html: string, options: HtmlToTextOptions = defaultHtmlToTextOptions): string {
  const key = `${options.links}/${options.tables}`;
  let convert = compiled.get(key);
  if (convert === undefined) {
    convert = compile({
      wordwrap: false,
      // Mail HTML is often one huge table soup; beyond this html-to-text stops descending instead of exhausting the stack.
      limits: { maxDepth: 200, maxChildNodes: 20_000, ellipsis: ' …' },
      selectors: [
        { selector: 'a', options: { ignoreHref: !options.links, hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'], noAnchorUrl: true } },
        { selector: 'img', format: 'skip' },
        { selector: 'h1', options: { uppercase: false } },
        { selector: 'h2', options: { uppercase: false } },
        { selector: 'h3', options: { uppercase: false } },
        { selector: 'h4', options: { uppercase: false } },
        { selector: 'h5', options: { uppercase: false } },
        { selector: 'h6', options: { uppercase: false } },
        { selector: 'table', format: 'block' },
        ...(options.tables ? [{ selector: 'table[border]', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 40 } }] : []),
        { selector: 'hr', options: { length: 32 } },
      ],
    });
    compiled.set(key, convert);
  }
  return convert(html);
}
