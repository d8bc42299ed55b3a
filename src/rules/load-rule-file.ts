import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseJsonText } from '../config/read-json-file.ts';
import { ruleInvalid } from './rule-problem.ts';

/** A rule file as read from disk: parsed JSON plus the hash that names this version of the file. */
export interface RuleFileSource {
  file: string;
  hash: string;
  raw: unknown;
}

export function hashRuleSource(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads and parses one rule file. The one place in src/rules that touches the file system, so src/config's
 * loader can replace it. `file` is the name used in errors (default: `path`). Throws AppError RULE_INVALID naming the file (and line/column for JSON syntax errors).
 */
export async function loadRuleFile(path: string, file: string = path): Promise<RuleFileSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw ruleInvalid([{ file, rule: null, pointer: '', position: null, message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code})` }]);
  }
  const parsed = parseJsonText(file, text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.problem;
    throw ruleInvalid([{ file, rule: null, pointer: '', position: null, message, ...(line === undefined ? {} : { line, column: column ?? 1 }) }]);
  }
  return { file, hash: hashRuleSource(text), raw: parsed.value };
}
