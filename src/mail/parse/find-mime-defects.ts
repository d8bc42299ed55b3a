/**
 * Cheap structural checks on the raw message. mailparser recovers from these silently; we name them so a person
 * reviewing a strange ticket can see why the text looks the way it does. Runs on a latin1 view of the bytes,
 * so it never fails on invalid UTF-8.
 */
export function findMimeDefects(raw: string, headers: Record<string, string[]>): string[] {
  const warnings: string[] = [];
  const headerEnd = raw.search(/\r?\n\r?\n/);
  if (headerEnd < 0) warnings.push('no blank line between header and body');
  const head = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const body = headerEnd < 0 ? '' : raw.slice(headerEnd);

  if (head.includes('\0') || body.includes('\0')) warnings.push('NUL bytes in the message');
  const badHeaderLines = head.split(/\r?\n/).filter((line) => line !== '' && !/^[ \t]/.test(line) && !/^[!-9;-~]+:/.test(line));
  if (badHeaderLines.length > 0) warnings.push(`${badHeaderLines.length} header line(s) without a valid field name`);
  for (const name of ['content-type', 'content-transfer-encoding', 'from', 'subject', 'date', 'message-id']) {
    if ((headers[name]?.length ?? 0) > 1) warnings.push(`duplicate ${name} header`);
  }

  const contentType = (headers['content-type']?.[0] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/')) {
    const boundary = /boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(headers['content-type']?.[0] ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    if (value === undefined || value === '') warnings.push('multipart message without a boundary parameter');
    else if (!body.includes(`--${value}`)) warnings.push('multipart boundary never appears in the body');
    else if (!body.includes(`--${value}--`)) warnings.push('multipart body is not terminated (missing closing boundary)');
  }
  const encoding = (headers['content-transfer-encoding']?.[0] ?? '').trim().toLowerCase();
  if (encoding !== '' && !['7bit', '8bit', 'binary', 'base64', 'quoted-printable'].includes(encoding)) {
    warnings.push(`unknown content-transfer-encoding "${encoding}"`);
  }
  return warnings;
}
