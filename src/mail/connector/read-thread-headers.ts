/**
 * The Message-IDs in a mail's In-Reply-To and References headers, read from the raw header block without parsing
 * the mail: the connector looks them up in the thread index before `decide` (which parses) runs.
 */
export function readThreadHeaders(raw: Uint8Array): string[] {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const end = [crlf, lf].filter((n) => n >= 0).reduce((a, b) => Math.min(a, b), bytes.length);
  const head = bytes.subarray(0, Math.min(end, 256 * 1024)).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const ids: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    const match = /^(in-reply-to|references)\s*:(.*)$/i.exec(line);
    if (!match) continue;
    for (const id of match[2]!.matchAll(/<([^<>\s]+)>/g)) ids.push(id[1]!);
  }
  return ids;
}
