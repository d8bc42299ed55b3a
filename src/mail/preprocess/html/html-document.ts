import type { Document } from 'domhandler';
import render from 'dom-serializer';
import { parseDocument } from 'htmlparser2';

export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true });
}

export function renderHtml(document: Document): string {
  // Text was decoded on parse, so it must be re-encoded; 'utf8' escapes only the characters HTML needs.
  return render(document, { encodeEntities: 'utf8' });
}
