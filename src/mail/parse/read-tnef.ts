import { decompressRtf } from './decompress-rtf.ts';
import { rtfToText } from './rtf-to-text.ts';

/**
 * A reader for TNEF (application/ms-tnef, "winmail.dat"), the format Outlook and Exchange wrap rich-text mail in:
 * [MS-OXTNEF] https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxtnef . node-tnef was tried on
 * the public samples and returned attachments without their content, so this reads the format itself: the
 * attribute stream, the MAPI property lists in it, and the attachments and bodies they carry. Never throws: a
 * truncated or odd stream yields what was read up to there, with a warning.
 */
export interface TnefAttachment {
  filename: string;
  contentType: string | null;
  contentId: string | null;
  content: Uint8Array;
}

export interface TnefContent {
  text: string | null;
  html: string | null;
  /** The decompressed RTF body (PR_RTF_COMPRESSED), when there is one. */
  rtf: string | null;
  attachments: TnefAttachment[];
  warnings: string[];
}

const SIGNATURE = 0x223e9f78;
const att = {
  body: 0x0002800c,
  attachData: 0x0006800f,
  attachTitle: 0x00018010,
  mapiProps: 0x00069003,
  attachRendData: 0x00069002,
  attachment: 0x00069005,
  oemCodepage: 0x00069007,
} as const;
const prop = {
  body: 0x1000,
  rtfCompressed: 0x1009,
  bodyHtml: 0x1013,
  internetCpid: 0x3fde,
  displayName: 0x3001,
  attachDataBin: 0x3701,
  attachFilename: 0x3704,
  attachMethod: 0x3705,
  attachLongFilename: 0x3707,
  attachMimeTag: 0x370e,
  attachContentId: 0x3712,
} as const;

interface MapiValue {
  type: number;
  /** Raw bytes of the (first) value; strings and binaries without their length prefix. */
  bytes: Uint8Array;
}

interface Draft {
  title: string | null;
  data: Uint8Array | null;
  props: Map<number, MapiValue>;
}

export function isTnef(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 6 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === SIGNATURE;
}

export function readTnef(bytes: Uint8Array): TnefContent | null {
  if (!isTnef(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const warnings: string[] = [];
  let codepage = 1252;
  let plainBody: Uint8Array | null = null;
  const messageProps = new Map<number, MapiValue>();
  const drafts: Draft[] = [];
  let offset = 6;
  while (offset + 9 <= bytes.byteLength) {
    const id = view.getUint32(offset + 1, true);
    const size = view.getUint32(offset + 5, true);
    const start = offset + 9;
    if (start + size + 2 > bytes.byteLength) {
      warnings.push(`TNEF attribute 0x${id.toString(16)} runs past the end of the stream; reading stopped there`);
      break;
    }
    const data = bytes.subarray(start, start + size);
    offset = start + size + 2; // 2: the attribute's checksum
    const current = drafts[drafts.length - 1];
    if (id === att.attachRendData) drafts.push({ title: null, data: null, props: new Map() });
    else if (id === att.oemCodepage && size >= 4) codepage = view.getUint32(start, true);
    else if (id === att.body) plainBody = data;
    else if (id === att.mapiProps) readMapiProps(data, messageProps, warnings);
    else if (current !== undefined && id === att.attachTitle) current.title = decode8(stripNul(data), codepage);
    else if (current !== undefined && id === att.attachData) current.data = data;
    else if (current !== undefined && id === att.attachment) readMapiProps(data, current.props, warnings);
  }

  const text = messageProps.has(prop.body) ? readString(messageProps.get(prop.body) as MapiValue, codepage) : plainBody === null ? null : decode8(stripNul(plainBody), codepage);
  const htmlValue = messageProps.get(prop.bodyHtml);
  const cpid = messageProps.get(prop.internetCpid);
  const htmlCodepage = cpid !== undefined && cpid.bytes.byteLength >= 4 ? new DataView(cpid.bytes.buffer, cpid.bytes.byteOffset).getUint32(0, true) : null;
  const html = htmlValue === undefined ? null : htmlValue.type === 0x001f ? readString(htmlValue, codepage) : decodeHtml(htmlValue.bytes, htmlCodepage ?? codepage);
  let rtf: string | null = null;
  const compressed = messageProps.get(prop.rtfCompressed);
  if (compressed !== undefined) {
    try {
      rtf = decode8(decompressRtf(compressed.bytes), codepage);
    } catch (error) {
      warnings.push(`TNEF RTF body unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const attachments = drafts.flatMap((draft, index): TnefAttachment[] => {
    const method = draft.props.get(prop.attachMethod);
    const bin = draft.props.get(prop.attachDataBin);
    // PT_OBJECT data starts with the 16-byte interface id of the object.
    const content = draft.data ?? (bin === undefined ? null : bin.type === 0x000d ? bin.bytes.subarray(16) : bin.bytes);
    if (content === null) {
      warnings.push(`TNEF attachment ${index + 1} has no content${method === undefined ? '' : ` (attach method ${readInt(method)})`}`);
      return [];
    }
    // The long file name, else the TNEF title (what Outlook shows; "Untitled Attachment" for an embedded object),
    // else the short name or the display name.
    const named = (key: number): string | null => {
      const value = draft.props.get(key);
      const text = value === undefined ? null : readString(value, codepage);
      return text === null || text === '' ? null : text;
    };
    const filename = named(prop.attachLongFilename) ?? draft.title ?? named(prop.attachFilename) ?? named(prop.displayName) ?? `attachment-${index + 1}`;
    const mime = draft.props.get(prop.attachMimeTag);
    const cid = draft.props.get(prop.attachContentId);
    return [{ filename, contentType: mime === undefined ? null : readString(mime, codepage)?.toLowerCase() ?? null, contentId: cid === undefined ? null : readString(cid, codepage), content: Uint8Array.from(content) }];
  });
  let bodyText = text === '' ? null : text;
  let bodyHtml = html;
  if (bodyText === null && bodyHtml === null && rtf !== null) {
    // Only an RTF body (Outlook's "Rich Text" format): its words, or the HTML it wraps.
    const rtfCodepage = Number(/\\ansicpg(\d+)/.exec(rtf.slice(0, 500))?.[1] ?? codepage);
    const fromRtf = rtfToText(rtf, (b) => decode8(b, rtfCodepage));
    bodyHtml = fromRtf.html;
    bodyText = fromRtf.html === null && fromRtf.text !== '' ? fromRtf.text : null;
  }
  return { text: bodyText, html: bodyHtml, rtf, attachments, warnings };
}

/** [MS-OXTNEF] 2.1.3.4 MsgPropertyList: count, then per property its tag, an optional name, and its value(s). */
function readMapiProps(data: Uint8Array, into: Map<number, MapiValue>, warnings: string[]): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string): void => void warnings.push(`TNEF property list unreadable: ${why}`);
  if (data.byteLength < 4) return;
  const count = view.getUint32(0, true);
  let at = 4;
  const need = (n: number): boolean => at + n <= data.byteLength;
  for (let k = 0; k < count; k++) {
    if (!need(4)) return fail('truncated');
    const type = view.getUint16(at, true);
    const id = view.getUint16(at + 2, true);
    at += 4;
    if (id >= 0x8000) {
      if (!need(20)) return fail('truncated name');
      const kind = view.getUint32(at + 16, true);
      at += 20;
      if (kind === 0) at += 4;
      else {
        if (!need(4)) return fail('truncated name');
        const length = view.getUint32(at, true);
        at += 4 + pad4(length);
      }
    }
    const multi = (type & 0x1000) !== 0;
    const base = type & ~0x1000;
    const variable = base === 0x001e || base === 0x001f || base === 0x0102 || base === 0x000d;
    let values = 1;
    if (multi || variable) {
      if (!need(4)) return fail('truncated value count');
      values = view.getUint32(at, true);
      at += 4;
    }
    const fixed = fixedSize(base);
    if (!variable && fixed === null) return fail(`unknown property type 0x${type.toString(16)}`);
    let first: Uint8Array | null = null;
    for (let v = 0; v < values; v++) {
      let length = fixed ?? 0;
      if (variable) {
        if (!need(4)) return fail('truncated value length');
        length = view.getUint32(at, true);
        at += 4;
      }
      if (!need(length)) return fail('value runs past the list');
      if (first === null) first = data.subarray(at, at + length);
      at += variable ? pad4(length) : pad4(length);
    }
    if (first !== null && id < 0x8000) into.set(id, { type: base, bytes: first });
  }
}

function fixedSize(type: number): number | null {
  switch (type) {
    case 0x0001: // PT_NULL
    case 0x0002: // PT_I2, padded
    case 0x0003: // PT_LONG
    case 0x0004: // PT_FLOAT
    case 0x000a: // PT_ERROR
    case 0x000b: // PT_BOOLEAN, padded
      return 4;
    case 0x0005:
    case 0x0006:
    case 0x0007:
    case 0x0014:
    case 0x0040:
      return 8;
    case 0x0048: // PT_CLSID
      return 16;
    default:
      return null;
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function readInt(value: MapiValue): number {
  return value.bytes.byteLength >= 4 ? new DataView(value.bytes.buffer, value.bytes.byteOffset).getUint32(0, true) : 0;
}

function readString(value: MapiValue, codepage: number): string | null {
  if (value.type === 0x001f) return new TextDecoder('utf-16le').decode(value.bytes).replace(/\0+$/, '');
  if (value.type === 0x001e) return decode8(stripNul(value.bytes), codepage);
  return null;
}

function stripNul(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** Windows code page → WHATWG encoding label. */
function encodingOf(codepage: number): string {
  if (codepage === 65001) return 'utf-8';
  if (codepage === 20866) return 'koi8-r';
  if (codepage === 21866) return 'koi8-u';
  if (codepage >= 28591 && codepage <= 28606) return `iso-8859-${codepage - 28590}`;
  if ((codepage >= 1250 && codepage <= 1258) || codepage === 874) return `windows-${codepage}`;
  const other: Record<number, string> = { 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 50220: 'iso-2022-jp', 51932: 'euc-jp', 54936: 'gb18030' };
  return other[codepage] ?? 'windows-1252';
}

function decode8(bytes: Uint8Array, codepage: number): string {
  try {
    return new TextDecoder(encodingOf(codepage)).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** An HTML body stored as bytes: its code page (PR_INTERNET_CPID), else the charset its own <meta> names. */
function decodeHtml(bytes: Uint8Array, codepage: number): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const charset = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // an unknown label: fall back to the code page
    }
  }
  return decode8(bytes, codepage);
}
