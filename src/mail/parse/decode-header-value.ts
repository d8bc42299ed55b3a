/**
 * Header text as a person reads it: folding undone, RFC 2047 encoded words decoded.
 * mailparser decodes only the headers it knows; we keep every header for rules, so we decode the rest the same way.
 */
const encodedWord = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
const spaceBetweenEncodedWords = /(\?=)\s+(?==\?)/g;

export function decodeHeaderValue(raw: string): string {
  const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ').trim();
  if (!unfolded.includes('=?')) return unfolded;
  // RFC 2047 §6.2: whitespace between two adjacent encoded words is not displayed.
  return unfolded.replace(spaceBetweenEncodedWords, '$1').replace(encodedWord, (whole, charset: string, encoding: string, text: string) => {
    const bytes = encoding.toUpperCase() === 'B' ? decodeBase64(text) : decodeQ(text);
    return bytes === null ? whole : decodeBytes(bytes, charset) ?? whole;
  });
}

function decodeBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

function decodeQ(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const hex = text.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(ch === '_' ? 0x20 : ch.charCodeAt(0) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  // RFC 2231 allows a language suffix: charset*lang.
  const label = charset.split('*')[0] ?? charset;
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return null;
  }
}

/** Splits one raw header line ("Name: value" with folding) into its lower-cased name and decoded value. */
export function splitHeaderLine(line: string): { name: string; value: string } | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  return { name: line.slice(0, colon).trim().toLowerCase(), value: decodeHeaderValue(line.slice(colon + 1)) };
}
