import type { Element } from 'domhandler';
import { HtmlLineView } from '../view/html-line-view.ts';
import type { LineView } from '../view/line-view.ts';
import { TextLineView } from '../view/text-line-view.ts';
import { isMobileFooter } from '../steps/signature-patterns.ts';
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
  let outcome: RemoveQuoteOutcome = { boundary: null, action: 'none' };
  let boundary = chooseBoundary(view, context, structural);
  // Each round removes something or stops; the bound is a guard against a detector bug, not a limit we expect to meet.
  for (let round = 0; boundary !== null && round < 50; round++) {
    const step = applyBoundary(view, boundary, options);
    outcome = { boundary, action: step.action };
    if (step.continueFrom === null) break;
    const rest = findQuoteBoundary(view.lines.slice(step.continueFrom), context);
    boundary = rest === null ? null : { ...rest, start: rest.start + step.continueFrom, contentStart: rest.contentStart + step.continueFrom };
  }
  return outcome;
}

/**
 * What to do at one boundary. Top-posted replies are cut there. An attribution whose quote is followed by more of
 * the sender's text is an interleaved or bottom-posted answer: the attribution goes (and the quote too, when the
 * sender wrote nothing above it), the answers stay, and the search goes on below.
 */
function applyBoundary(view: LineView, boundary: QuoteBoundary, options: RemoveQuoteOptions): { action: RemoveQuoteOutcome['action']; continueFrom: number | null } {
  const lines = view.lines;
  const hasTextAbove = lines.slice(0, boundary.start).some((line) => line.trim() !== '');

  // A header block or separator with nothing written above it is a forward without a note: nobody replies
  // with nothing, and an Outlook forward looks exactly like this when the subject prefix is not one we know.
  const kind = !hasTextAbove && (boundary.marker === 'header-block' || boundary.marker === 'separator') ? 'forward' : boundary.kind;
  if (kind === 'forward') {
    if (options.forwards === 'keep') return { action: 'kept-forward', continueFrom: null };
    if (hasTextAbove) {
      view.cutFrom(boundary.start);
      return { action: 'cut', continueFrom: null };
    }
    view.removeLines(boundary.start, boundary.contentStart);
    if (view instanceof TextLineView) view.unquoteFrom(boundary.start);
    return { action: 'unwrapped-forward', continueFrom: null };
  }

  const quoteEnd = endOfQuotedRun(lines, boundary.contentStart);
  const hasQuoteRun = quoteEnd > boundary.contentStart;
  const quotedMarker = boundary.marker === 'attribution' || boundary.marker === 'quote-block';
  // Someone who answers between the quoted lines does not sign off ("-- ") above the quote.
  const signedOffAbove = lines.slice(0, boundary.start).some((line) => /^\s*--\s*$/.test(line));
  if (quotedMarker && hasQuoteRun && !signedOffAbove && hasSenderTextFrom(lines, quoteEnd)) {
    view.removeLines(boundary.start, hasTextAbove ? boundary.contentStart : quoteEnd);
    return { action: 'cut', continueFrom: boundary.start };
  }
  if (boundary.marker === 'attribution' && !hasTextAbove && !hasQuoteRun && hasSenderTextFrom(lines, boundary.contentStart)) {
    // An attribution at the very top over unquoted text: the text is the answer, the attribution a leftover.
    view.removeLines(boundary.start, boundary.contentStart);
    return { action: 'cut', continueFrom: boundary.start };
  }
  if (!hasTextAbove) {
    // Nothing of the sender above. A bare quote with no header is kept (losing words is worse than keeping a
    // quote); a header over nothing but quoted lines is a reply with no text.
    const allQuotedBelow = quoteEnd > boundary.contentStart && !hasSenderTextFrom(lines, quoteEnd);
    if (boundary.marker === 'attribution' && allQuotedBelow) {
      view.cutFrom(boundary.start);
      return { action: 'cut', continueFrom: null };
    }
    return { action: 'kept-quote-only', continueFrom: null };
  }
  view.cutFrom(boundary.start);
  return { action: 'cut', continueFrom: null };
}

/**
 * From `from`, skips blank lines and one run of quoted lines; returns where the sender's text could resume.
 * An unquoted line squeezed between two quoted ones belongs to the quote: a wrapped line that lost its '>'.
 */
function endOfQuotedRun(lines: readonly string[], from: number): number {
  const quoted = (i: number): boolean => /^\s*>/.test(lines[i] ?? '');
  const blank = (i: number): boolean => (lines[i] ?? '').trim() === '';
  let i = from;
  while (i < lines.length && blank(i)) i++;
  if (!quoted(i)) return from;
  while (i < lines.length && (quoted(i) || blank(i) || (quoted(i - 1) && quoted(i + 1)))) i++;
  return i;
}

/** Whether lines from `from` hold more of the sender's words, not just a signature, a footer or decoration. */
function hasSenderTextFrom(lines: readonly string[], from: number): boolean {
  for (let i = from; i < lines.length; i++) {
    const text = (lines[i] ?? '').trim();
    if (text === '') continue;
    if (/^\s*>/.test(lines[i] ?? '')) continue;
    if (text === '--' || /^[-_=*~#+]{2,}$/.test(text) || isMobileFooter(text)) return false;
    if (/[\p{L}\p{N}]/u.test(text)) return true;
  }
  return false;
}

function chooseBoundary(view: LineView, context: BoundaryContext, structural: Element | null): QuoteBoundary | null {
  const byWords = findQuoteBoundary(view.lines, context);
  if (structural === null || !(view instanceof HtmlLineView)) return byWords;
  const line = view.lineOf(structural);
  if (line >= view.lines.length || (byWords !== null && byWords.start <= line)) return byWords;
  // A quote container around the whole message (Inbox by Gmail wraps replies so) says nothing; the words decide.
  if (view.lines.slice(0, line).every((l) => l.trim() === '')) return byWords;

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
