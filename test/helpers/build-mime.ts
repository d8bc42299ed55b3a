export interface MimeSpec {
  from: string;
  to?: string;
  subject: string;
  body: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  date?: string;
  headers?: Record<string, string>;
  importance?: 'high' | 'low';
  attachment?: { filename: string; contentType: string; content: string };
}

/** A small, valid RFC 5322 message, so connector tests can say exactly what arrives. */
export function buildMime(spec: MimeSpec): string {
  const lines = [
    `From: ${spec.from}`,
    `To: ${spec.to ?? 'Support <support@contoso.example>'}`,
    `Subject: ${spec.subject}`,
    `Date: ${spec.date ?? 'Fri, 20 Nov 2026 09:00:00 +0000'}`,
    `Message-ID: <${spec.messageId}>`,
    ...(spec.inReplyTo ? [`In-Reply-To: <${spec.inReplyTo}>`] : []),
    ...(spec.references ? [`References: ${spec.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...(spec.importance ? [`Importance: ${spec.importance}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  if (!spec.attachment) return [...lines, 'Content-Type: text/plain; charset=utf-8', '', spec.body, ''].join('\r\n');
  const boundary = 'mailroom-test-boundary';
  return [
    ...lines,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    spec.body,
    `--${boundary}`,
    `Content-Type: ${spec.attachment.contentType}; name="${spec.attachment.filename}"`,
    `Content-Disposition: attachment; filename="${spec.attachment.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(spec.attachment.content).toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
