import type { LineView } from './line-view.ts';

export class TextLineView implements LineView {
  lines: string[];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  cutFrom(from: number): void {
    this.lines = this.lines.slice(0, Math.max(0, from));
  }

  removeLines(from: number, to: number): void {
    this.lines = [...this.lines.slice(0, from), ...this.lines.slice(to)];
  }

  /**
   * Takes one level of '>' off lines [from, end) when most non-blank ones have it (a forwarded message kept as
   * text; Apple Mail quotes it, and long lines may have lost their marker when wrapped).
   */
  unquoteFrom(from: number): void {
    const rest = this.lines.slice(from);
    const nonBlank = rest.filter((line) => line.trim() !== '');
    const quoted = nonBlank.filter((line) => /^\s*>/.test(line));
    if (quoted.length === 0 || !/^\s*>/.test(nonBlank[0] ?? '')) return;
    this.lines = [...this.lines.slice(0, from), ...rest.map((line) => line.replace(/^\s*> ?/, ''))];
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
