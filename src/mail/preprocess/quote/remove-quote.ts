import type { Element } from 'domhandler';
import { HtmlLineView } from '../view/html-line-view.ts';
import type { LineView } from '../view/line-view.ts';
import { TextLineView } from '../view/text-line-view.ts';
import { findQuoteBoundary, type BoundaryContext, type QuoteBoundary } from './find-quote-boundary.ts';

export interface RemoveQuoteOptions {
  /** 'keep': a forward stays whole (it is the request). 'remove': cut it like a quote, but keep the forwarded body when nothing was written above it. */
  forwards: 'keep' | 'remove';
}

export interface RemoveQuoteOutcome {
  boundary: QuoteBoundary | null;
  action: 'none' | 'cut' | 'kept-forward' | 'kept-quote-only' | 'unwrapped-forward';
}

/**
 * Cuts the quoted original off a body, through a line view, so the same logic serves text and HTML.
 * `structural` is the first quote container the HTML markup points at (see findHtmlQuote); it wins over the
 * words when it comes first, and the words then only tell a reply from a forward.
 */
export function removeQuote(view: LineView, options: RemoveQuoteOptions, context: BoundaryContext, structural: Element | null = null): RemoveQuoteOutcome {
  const boundary = chooseBoundary(view, context, structural);
  if (boundary === null) return { boundary, action: 'none' };
  const hasTextAbove = view.lines.slice(0, boundary.start).some((line) => line.trim() !== '');

  if (boundary.kind === 'forward') {
    if (options.forwards === 'keep') return { boundary, action: 'kept-forward' };
    if (hasTextAbove) {
      view.cutFrom(boundary.start);
      return { boundary, action: 'cut' };
    }
    view.removeLines(boundary.start, boundary.contentStart);
    if (view instanceof TextLineView) view.unquoteFrom(boundary.start);
    return { boundary, action: 'unwrapped-forward' };
  }
  // A body that is nothing but a quote (a bare "forward as reply", a mis-click) is kept: losing words is worse.
  if (!hasTextAbove) return { boundary, action: 'kept-quote-only' };
  view.cutFrom(boundary.start);
  return { boundary, action: 'cut' };
}

function chooseBoundary(view: LineView, context: BoundaryContext, structural: Element | null): QuoteBoundary | null {
  const byWords = findQuoteBoundary(view.lines, context);
  if (structural === null || !(view instanceof HtmlLineView)) return byWords;
  const line = view.lineOf(structural);
  if (line >= view.lines.length || (byWords !== null && byWords.start <= line)) return byWords;

  // What the quote container starts with says whether it is a reply or a forward.
  const inside = findQuoteBoundary(view.lines.slice(line, line + 40), context);
  const insideAtTop = inside !== null && view.lines.slice(line, line + inside.start).every((l) => l.trim() === '' || /^[>\s]*$/.test(l));
  let start = line;
  // The attribution ("On … wrote:") often sits just above the container (Apple Mail, Yahoo).
  const from = Math.max(0, line - 4);
  const above = findQuoteBoundary(view.lines.slice(from, line), context);
  if (above !== null && above.marker === 'attribution' && view.lines.slice(from + above.contentStart, line).every((l) => l.trim() === '')) {
    start = from + above.start;
  }
  return {
    start,
    contentStart: insideAtTop ? line + (inside?.contentStart ?? 0) : line,
    kind: insideAtTop ? (inside?.kind ?? 'reply') : 'reply',
    marker: insideAtTop ? (inside?.marker ?? 'quote-block') : 'quote-block',
  };
}
