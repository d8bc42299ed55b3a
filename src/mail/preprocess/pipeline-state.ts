import type { Document } from 'domhandler';
import type { Message } from '../parse/index.ts';
import { convertHtmlToText, defaultHtmlToTextOptions, type HtmlToTextOptions } from './html/convert-html-to-text.ts';
import { parseHtml, renderHtml } from './html/html-document.ts';
import { allPacks, type EnabledPacks } from './packs/enabled-packs.ts';
import { HtmlLineView } from './view/html-line-view.ts';
import type { LineView } from './view/line-view.ts';
import { TextLineView } from './view/text-line-view.ts';

const HUGE_HTML = 200_000;

/**
 * The body while it is being cleaned: an HTML document until html-to-text runs (steps that need HTML structure
 * work on it), plain text after. Steps mutate it in place.
 */
export class PipelineState {
  html: Document | null;
  text: string;
  readonly message: Message;
  /** The packs the running step may use; preprocessMessage sets them from each step's config. */
  packs: EnabledPacks = allPacks;

  constructor(message: Message) {
    this.message = message;
    this.html = message.html === null ? null : parseHtml(message.html);
    this.text = this.html === null ? normalizeNewlines(message.text ?? '') : '';
  }

  /** What the trace shows: the HTML source while there is HTML, then the text. */
  snapshot(): string {
    return this.html === null ? this.text : renderHtml(this.html);
  }

  convertToText(options: HtmlToTextOptions = defaultHtmlToTextOptions): void {
    if (this.html === null) return;
    const html = renderHtml(this.html);
    // html-to-text lays out every word and takes ~50 ms per 500 KB; past this size (an encrypted blob, a pasted
    // log) the plain line rendering is used instead, so one message cannot stall a run. Links and tables lose
    // their layout there, the words stay.
    this.text = html.length > HUGE_HTML ? new HtmlLineView(this.html).lines.join('\n') : normalizeNewlines(convertHtmlToText(html, options));
    this.html = null;
  }

  /** A line view over the current body; call `commit` after changing it through a text view. */
  view(): LineView {
    return this.html === null ? new TextLineView(this.text) : new HtmlLineView(this.html);
  }

  commit(view: LineView): void {
    if (view instanceof TextLineView) this.text = view.toString();
  }
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
