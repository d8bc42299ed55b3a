import { readFile } from 'node:fs/promises';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ConfigProblem } from './config-problem.ts';

export type JsonReadResult = { ok: true; value: unknown } | { ok: false; problem: ConfigProblem };

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** "PropertyNameExpected" → "property name expected". */
function describeParseError(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^invalid symbol$/, 'unexpected character');
}

/**
 * Parses JSON and turns a syntax error into a problem with the line and column of the first error, never a bare
 * stack trace. Node 20's JSON.parse does not always say where ("Unexpected end of JSON input", "Unexpected token …
 * is not valid JSON"), so the check is jsonc-parser's strict mode (no comments, no trailing commas), which gives
 * the offset of every error; the value itself still comes from JSON.parse.
 */
export function parseJsonText(file: string, text: string): JsonReadResult {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (error) {
      // jsonc-parser is more lenient than JSON in a few corners (a byte-order mark, lone surrogates): say what JSON says.
      return { ok: false, problem: { file, pointer: '', message: `JSON syntax error: ${(error as Error).message}`, line: 1, column: 1 } };
    }
  }
  return { ok: false, problem: { file, pointer: '', message: `JSON syntax error: ${describeParseError(first)}`, ...lineAndColumn(text, first.offset) } };
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
