import { isTag, isText, type AnyNode, type ChildNode, type Document, type Element, type Text } from 'domhandler';
import { removeElement } from 'domutils';
import type { LineView } from './line-view.ts';

/** A piece of a line: a text node (or the part [start, end) of one inside <pre>), or a whole element such as <hr>. */
interface Segment {
  node: ChildNode;
  start: number;
  end: number;
}

const blockElements = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead',
  'tfoot', 'tr', 'ul',
]);
const skippedElements = new Set(['head', 'script', 'style', 'title', 'meta', 'link', 'template', 'noscript', 'xml']);
/** What an <hr> reads as: the same rule Outlook web writes in text. */
export const HR_LINE = '________________________________';

/**
 * Lines of an HTML document as a reader sees them: blocks and <br> break lines, whitespace collapses, and every
 * level of <blockquote> reads as a '> ' prefix, the way a quote looks in text. Each line remembers its DOM nodes.
 */
export class HtmlLineView implements LineView {
  lines: string[] = [];
  private segments: Segment[][] = [];
  private elementLines = new Map<Element, number>();
  private current = '';
  private currentSegments: Segment[] = [];
  private depth = 0;

  constructor(private readonly document: Document) {
    this.build();
  }

  /** The first line at or after which an element's content appears. */
  lineOf(element: Element): number {
    return this.elementLines.get(element) ?? this.lines.length;
  }

  cutFrom(from: number): void {
    const first = this.firstSegmentFrom(from);
    if (first === null) return;
    const { node, start } = first;
    const parent = node.parent;
    removeFollowing(node);
    if (isText(node) && start > 0) node.data = node.data.slice(0, start);
    else removeElement(node);
    removeEmptyAncestors(parent);
    this.build();
  }

  removeLines(from: number, to: number): void {
    const byNode = new Map<ChildNode, Segment[]>();
    for (const segment of this.segments.slice(from, to).flat()) {
      byNode.set(segment.node, [...(byNode.get(segment.node) ?? []), segment]);
    }
    const emptied: AnyNode[] = [];
    for (const [node, parts] of byNode) {
      let data = isText(node) ? node.data : '';
      for (const part of [...parts].sort((a, b) => b.start - a.start)) data = data.slice(0, part.start) + data.slice(part.end);
      if (isText(node) && data.trim() !== '') {
        node.data = data;
        continue;
      }
      if (node.parent !== null) emptied.push(node.parent);
      removeElement(node);
    }
    // A wrapper left without content goes too: an empty <a href="mailto:…"> would come back as its address in
    // html-to-text, a remnant of the attribution ("On … Ann <ann@example.com> wrote:") that was just removed.
    for (const parent of emptied) removeEmptyAncestors(parent);
    this.build();
  }

  private firstSegmentFrom(from: number): Segment | null {
    for (let i = Math.max(0, from); i < this.segments.length; i++) {
      const first = this.segments[i]?.[0];
      if (first !== undefined) return first;
    }
    return null;
  }

  private build(): void {
    this.lines = [];
    this.segments = [];
    this.elementLines = new Map();
    this.current = '';
    this.currentSegments = [];
    this.depth = 0;
    this.walk(this.document.children, false);
    this.flush(false);
  }

  private walk(nodes: readonly AnyNode[], inPre: boolean): void {
    for (const node of nodes) {
      if (isText(node)) this.addText(node, inPre);
      else if (isTag(node)) this.addElement(node, inPre);
    }
  }

  private addElement(element: Element, inPre: boolean): void {
    const name = element.name.toLowerCase();
    if (skippedElements.has(name)) return;
    if (name === 'br') {
      this.flush(true);
      return;
    }
    if (name === 'hr') {
      this.flush(false);
      this.elementLines.set(element, this.lines.length);
      this.current = HR_LINE;
      this.currentSegments = [{ node: element, start: 0, end: 0 }];
      this.flush(false);
      return;
    }
    const block = blockElements.has(name) || name === 'td' || name === 'th';
    if (block) this.flush(false);
    this.elementLines.set(element, this.lines.length);
    if (name === 'blockquote') this.depth++;
    this.walk(element.children, inPre || name === 'pre');
    if (name === 'blockquote') {
      this.flush(false);
      this.depth--;
    }
    if (block) this.flush(false);
  }

  private addText(node: Text, inPre: boolean): void {
    if (!inPre) {
      const text = node.data.replace(/[\t\n\r ]+/g, ' ');
      if (text.trim() === '' && this.current.trim() === '') return;
      this.current += text;
      this.currentSegments.push({ node, start: 0, end: node.data.length });
      return;
    }
    let offset = 0;
    for (const part of node.data.split('\n')) {
      if (offset > 0) this.flush(true);
      this.current += part;
      this.currentSegments.push({ node, start: offset, end: offset + part.length + 1 });
      offset += part.length + 1;
    }
  }

  /** Ends the current line; an empty line is kept only when asked (a <br> on its own is a visible blank line). */
  private flush(keepEmpty: boolean): void {
    const text = this.current.trim();
    if (text !== '' || keepEmpty) {
      this.lines.push(text === '' ? '' : `${'> '.repeat(this.depth)}${text}`);
      this.segments.push(this.currentSegments);
    }
    this.current = '';
    this.currentSegments = [];
  }
}

/** Wrappers the cut left without content (a <blockquote> or <div> whose inside was the quote) go too. */
function removeEmptyAncestors(start: AnyNode | null): void {
  let current = start;
  while (current !== null && isTag(current) && !['body', 'html'].includes(current.name) && !hasContent(current)) {
    const parent: AnyNode | null = current.parent;
    removeElement(current);
    current = parent;
  }
}

function hasContent(node: AnyNode): boolean {
  if (isText(node)) return node.data.trim() !== '';
  if (!isTag(node)) return false;
  if (node.name === 'img' || node.name === 'hr') return true;
  return node.children.some(hasContent);
}

/** Removes every node after `node` in document order. */
function removeFollowing(node: ChildNode): void {
  let current: AnyNode | null = node;
  while (current !== null && current.parent !== null) {
    while (current.next !== null) removeElement(current.next);
    current = current.parent;
  }
}
