import type { FastifyReply } from 'fastify';
import type { StoredFileDownload } from '../tickets/index.ts';

/** RFC 6266 Content-Disposition: an ASCII fallback name and the exact UTF-8 one (RFC 8187 encoding). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_').replace(/[/\r\n]/g, '_') || 'download';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored file as a download. Always `attachment` and nosniff: a stored HTML file or SVG from a mail must
 * never render as a page of ours.
 */
export function sendDownload(reply: FastifyReply, file: StoredFileDownload): FastifyReply {
  const type = /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType) ? file.contentType : 'application/octet-stream';
  return reply
    .type(type)
    .header('content-length', String(file.length))
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.stream);
}
