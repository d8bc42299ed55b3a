/**
 * Removes the paragraphs (runs of non-blank lines) in which one of the patterns matches. A pattern may span the
 * line breaks of its paragraph. `region` limits where a paragraph may start, as line indexes.
 */
export function removeMatchingParagraphs(text: string, patterns: readonly RegExp[], region: { fromEnd?: number; maxStart?: number } = {}): string {
  const lines = text.split('\n');
  const paragraphs: { start: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() === '') continue;
    const start = i;
    while (i < lines.length && (lines[i] ?? '').trim() !== '') i++;
    paragraphs.push({ start, end: i });
  }
  const lastLine = lines.length;
  const remove = paragraphs.filter(({ start, end }) => {
    if (region.maxStart !== undefined && start > region.maxStart) return false;
    if (region.fromEnd !== undefined && start < lastLine - region.fromEnd) return false;
    // Paragraphs are joined with single spaces so a phrase wrapped over two lines still matches.
    const joined = lines.slice(start, end).map((line) => line.trim()).join(' ').slice(0, 5000);
    return patterns.some((pattern) => pattern.test(joined));
  });
  if (remove.length === 0) return text;
  const dropped = new Set(remove.flatMap(({ start, end }) => Array.from({ length: end - start }, (_, k) => start + k)));
  return lines.filter((_, index) => !dropped.has(index)).join('\n');
}
