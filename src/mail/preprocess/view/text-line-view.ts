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

  /** Takes one level of '>' off lines [from, end) when every non-blank one has it (a forwarded quote kept as text). */
  unquoteFrom(from: number): void {
    const rest = this.lines.slice(from);
    if (!rest.every((line) => line.trim() === '' || /^\s*>/.test(line))) return;
    this.lines = [...this.lines.slice(0, from), ...rest.map((line) => line.replace(/^\s*> ?/, ''))];
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
