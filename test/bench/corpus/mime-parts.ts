/** MIME building blocks as mail clients write them: quoted-printable text, base64 in 76-character lines, multiparts. */
export interface MimePart {
  headers: string[];
  body: string;
}

/** Quoted-printable (RFC 2045 6.7) with soft line breaks, as Outlook and Gmail send HTML. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let encoded = '';
    for (const byte of Buffer.from(line, 'utf8')) {
      encoded += (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    if (encoded.endsWith(' ')) encoded = `${encoded.slice(0, -1)}=20`;
    while (encoded.length > 75) {
      let cut = 75;
      // Never split an =XX escape.
      const escape = encoded.lastIndexOf('=', cut - 1);
      if (escape > cut - 3) cut = escape;
      out.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    out.push(encoded);
  }
  return out.join('\r\n');
}

export function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

export function textPart(type: 'text/plain' | 'text/html', content: string): MimePart {
  return { headers: [`Content-Type: ${type}; charset="utf-8"`, 'Content-Transfer-Encoding: quoted-printable'], body: quotedPrintable(content) };
}

export function binaryPart(opts: { type: string; filename: string; data: Buffer; inlineCid?: string }): MimePart {
  const disposition = opts.inlineCid ? 'inline' : 'attachment';
  return {
    headers: [
      `Content-Type: ${opts.type}; name="${opts.filename}"`,
      `Content-Disposition: ${disposition}; filename="${opts.filename}"; size=${opts.data.length}`,
      ...(opts.inlineCid ? [`Content-ID: <${opts.inlineCid}>`] : []),
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(opts.data),
  };
}

export function multipart(subtype: 'mixed' | 'related' | 'alternative', boundary: string, parts: MimePart[]): MimePart {
  const type = subtype === 'related' ? `multipart/related; boundary="${boundary}"; type="multipart/alternative"` : `multipart/${subtype}; boundary="${boundary}"`;
  const body = parts.map((p) => `--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n${p.body}\r\n`).join('') + `--${boundary}--`;
  return { headers: [`Content-Type: ${type}`], body };
}

export function renderMessage(headers: string[], root: MimePart): string {
  return `${[...headers, 'MIME-Version: 1.0', ...root.headers].join('\r\n')}\r\n\r\n${root.body}\r\n`;
}
