import { readFile } from 'node:fs/promises';
import type { ConfigProblem } from './config-problem.ts';

export type JsonReadResult = { ok: true; value: unknown } | { ok: false; problem: ConfigProblem };

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses JSON and turns a syntax error into a problem with line and column, never a bare stack trace. */
export function parseJsonText(file: string, text: string): JsonReadResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 states the offset as "at position N" or "(line L column C)"; both are stable parts of its messages.
    const position = /at position (\d+)/.exec(message);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
    const where = lineCol
      ? { line: Number(lineCol[1]), column: Number(lineCol[2]) }
      : position
        ? lineAndColumn(text, Number(position[1]))
        : text.trim() === '' ? { line: 1, column: 1 } : lineAndColumn(text, text.length);
    const reason = message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/,? ?"[\s\S]*$/, '');
    return { ok: false, problem: { file, pointer: '', message: `JSON syntax error: ${reason}`, ...where } };
  }
}

export async function readJsonFile(file: string): Promise<JsonReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, problem: { file, pointer: '', message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code})` } };
  }
  return parseJsonText(file, text);
}
