/** Bodies shorter than this stay with mailparser: lifting them saves less than the walk costs. */
const minLiftChars = 8 * 1024;
/** Deeper nesting than real mail has; a hostile mail nested further is simply parsed without lifting. */
const maxDepth = 16;
const notBase64 = /[^A-Za-z0-9+/\r\n]/g;
const boundaryParam = /;\s*boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))/i;

export interface LiftedBodies {
  /** The MIME with each lifted body replaced by a short base64 marker. */
  mime: Buffer;
  /** What each marker stands for (key: the marker's decoded text): the decoded body. */
  contents: Map<string, Buffer>;
}

interface Region {
  start: number;
  end: number;
}

/**
 * Takes the large base64 bodies of non-text leaf parts (attachments, inline images) out of a message before mailparser
 * reads it, and decodes them with Node's native decoder. mailparser splits every 76-character line into its own
 * Buffer and strips and decodes it in JavaScript: on mail with attachments that was most of the parse time and most
 * of the garbage (npm run bench:mail -- --heap-profile). A lifted body is only ever base64 lines and nothing else, so
 * the marker put in its place cannot change how the message splits into parts; `restoreLiftedBodies` then checks that
 * every marker came out as one whole attachment, and the caller parses the original bytes when one did not. Parts in
 * message/rfc822, text and anything this walk does not follow are left to mailparser as they are.
 * Returns null when there is nothing to lift. `latin1` is the raw message read as latin1 (one char per byte).
 */
export function liftBase64Bodies(latin1: string): LiftedBodies | null {
  const regions: Region[] = [];
  walkPart(latin1, 0, latin1.length, 0, regions);
  if (regions.length === 0) return null;
  const pieces: string[] = [];
  const contents = new Map<string, Buffer>();
  let at = 0;
  for (const [n, region] of regions.entries()) {
    const marker = `mailroom lifted body ${n} of ${regions.length}`;
    pieces.push(latin1.slice(at, region.start), Buffer.from(marker, 'latin1').toString('base64'));
    contents.set(marker, Buffer.from(latin1.slice(region.start, region.end), 'base64'));
    at = region.end;
  }
  pieces.push(latin1.slice(at));
  return { mime: Buffer.from(pieces.join(''), 'latin1'), contents };
}

/**
 * Puts the lifted bodies back into mailparser's attachments; false when a marker is not exactly one attachment's
 * whole content (the walk read the structure otherwise than mailparser did), and the result must not be used.
 */
export function restoreLiftedBodies(attachments: { content: Buffer; size: number }[], lifted: LiftedBodies): boolean {
  const found = new Map<string, { content: Buffer; size: number }>();
  const markerLengths = new Set([...lifted.contents.keys()].map((marker) => marker.length));
  for (const attachment of attachments) {
    if (!markerLengths.has(attachment.content.length)) continue;
    const text = attachment.content.toString('latin1');
    if (!lifted.contents.has(text)) continue;
    if (found.has(text)) return false;
    found.set(text, attachment);
  }
  if (found.size !== lifted.contents.size) return false;
  for (const [marker, attachment] of found) {
    attachment.content = lifted.contents.get(marker)!;
    attachment.size = attachment.content.length;
  }
  return true;
}

function walkPart(s: string, start: number, end: number, depth: number, regions: Region[]): void {
  if (depth > maxDepth) return;
  // The header ends at the first empty line (mailsplit splits at LF, so "\r\n" and "\n" both end it).
  let lineStart = start;
  for (;;) {
    const lineEnd = s.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd >= end) return;
    if (lineEnd === lineStart || (lineEnd === lineStart + 1 && s[lineStart] === '\r')) break;
    lineStart = lineEnd + 1;
  }
  if (lineStart === start) return; // no header at all: text/plain
  const headers = readHeaders(s.slice(start, lineStart));
  if (headers === null) return;
  const bodyStart = s.indexOf('\n', lineStart) + 1;
  const type = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = boundaryParam.exec(headers.contentType ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    if (value) walkMultipart(s, bodyStart - 1, end, value, depth, regions);
    return;
  }
  if (type === '' || type.startsWith('text/') || type.startsWith('message/') || headers.encoding?.trim().toLowerCase() !== 'base64') return;
  let bodyEnd = end;
  while (bodyEnd > bodyStart && (s[bodyEnd - 1] === '\n' || s[bodyEnd - 1] === '\r')) bodyEnd -= 1;
  if (bodyEnd - bodyStart >= minLiftChars && isPlainBase64(s, bodyStart, bodyEnd)) regions.push({ start: bodyStart, end: bodyEnd });
}

/**
 * Only base64 alphabet and line breaks, padding only at the very end: what Node's decoder and libbase64 decode
 * alike. Anything else (spaces, stray characters, padding mid-body) is left to mailparser's own handling.
 * A RegExp finds the first other character: compiled to native code it is ten times faster than a charCodeAt loop.
 */
function isPlainBase64(s: string, start: number, end: number): boolean {
  let dataEnd = end;
  while (dataEnd > start && end - dataEnd < 2 && s[dataEnd - 1] === '=') dataEnd -= 1;
  notBase64.lastIndex = start;
  const other = notBase64.exec(s);
  // [dataEnd, end) is the padding, so the first other character must not come before it.
  return other === null || other.index >= dataEnd;
}

/** The parts between `--boundary` lines; `from` is the line break before the body, so a first delimiter line is found. */
function walkMultipart(s: string, from: number, end: number, boundary: string, depth: number, regions: Region[]): void {
  const delimiter = `\n--${boundary}`;
  let at = s.indexOf(delimiter, from);
  while (at >= 0 && at < end) {
    const lineEnd = s.indexOf('\n', at + 1);
    if (lineEnd < 0 || lineEnd >= end) return;
    const rest = s.slice(at + delimiter.length, lineEnd).replace(/\r$/, '');
    if (rest.startsWith('--')) return; // the closing delimiter
    if (rest.trim() !== '') {
      // A longer boundary that starts with this one: not a delimiter line of this part.
      at = s.indexOf(delimiter, lineEnd);
      continue;
    }
    const next = s.indexOf(delimiter, lineEnd);
    if (next < 0 || next >= end) return; // unterminated: left to mailparser
    // The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    const partEnd = s[next - 1] === '\r' ? next - 1 : next;
    walkPart(s, lineEnd + 1, partEnd, depth + 1, regions);
    at = next;
  }
}

/** Content-Type and Content-Transfer-Encoding; null when either appears twice (which one counts is then unclear). */
function readHeaders(head: string): { contentType?: string; encoding?: string } | null {
  const found: { contentType?: string; encoding?: string } = {};
  for (const line of head.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const key = name === 'content-type' ? 'contentType' : name === 'content-transfer-encoding' ? 'encoding' : null;
    if (key === null) continue;
    if (found[key] !== undefined) return null;
    found[key] = line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ');
  }
  return found;
}
