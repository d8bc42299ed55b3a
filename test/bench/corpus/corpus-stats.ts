import type { CorpusMail } from './corpus-mail.ts';

/** Sizes of a corpus as it was delivered: mean, median, share by kind and with attachments. */
export interface CorpusStats {
  messages: number;
  totalBytes: number;
  meanBytes: number;
  medianBytes: number;
  p95Bytes: number;
  withAttachments: number;
  byKind: Record<string, number>;
}

export function createCorpusTally(): { add(mail: CorpusMail): void; stats(): CorpusStats } {
  const sizes: number[] = [];
  const byKind: Record<string, number> = {};
  let withAttachments = 0;
  return {
    add(mail) {
      sizes.push(Buffer.byteLength(mail.mime, 'latin1'));
      byKind[mail.kind] = (byKind[mail.kind] ?? 0) + 1;
      if (mail.attachments > 0) withAttachments += 1;
    },
    stats() {
      const sorted = [...sizes].sort((a, b) => a - b);
      const total = sorted.reduce((sum, s) => sum + s, 0);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { messages: sorted.length, totalBytes: total, meanBytes: Math.round(total / Math.max(1, sorted.length)), medianBytes: at(0.5), p95Bytes: at(0.95), withAttachments, byKind };
    },
  };
}

export function describeCorpus(s: CorpusStats): string {
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  const kinds = Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return `corpus: ${s.messages} messages, mean ${kb(s.meanBytes)}, median ${kb(s.medianBytes)}, p95 ${kb(s.p95Bytes)}, ${s.withAttachments} with attachments (${kinds})`;
}
