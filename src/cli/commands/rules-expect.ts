import { readFile } from 'node:fs/promises';

/**
 * The fields of a dry-run result that an `x.expected.json` may pin. Only the ones present in the expected file are
 * compared, each by deep equality, so a suite can pin the decision without pinning the whole cleaned text.
 * threadHint, trace and the preprocess steps are diagnostics and are never compared; keys starting with "$" are notes.
 */
export const comparedFields = ['text', 'rule', 'action', 'objectType', 'fields', 'postActions'] as const;

export interface ExpectationDifference {
  /** Dotted path of what differs, e.g. "fields.priority". */
  path: string;
  expected: unknown;
  actual: unknown;
  /** Set when the problem is the expectation file itself (missing, unreadable, unknown field). */
  message?: string;
}

export interface ExpectationResult {
  file: string;
  ok: boolean;
  differences: ExpectationDifference[];
}

export function expectedFileFor(emlFile: string): string {
  return /\.eml$/i.test(emlFile) ? emlFile.replace(/\.eml$/i, '.expected.json') : `${emlFile}.expected.json`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diff(path: string, expected: unknown, actual: unknown, out: ExpectationDifference[]): void {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      diff(`${path}.${key}`, expected[key], actual[key], out);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((item, i) => diff(`${path}[${i}]`, item, actual[i], out));
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ path, expected, actual });
}

/** Compares a dry-run result with the expectation object; returns every difference. */
export function compareWithExpected(expected: Record<string, unknown>, actual: Record<string, unknown>): ExpectationDifference[] {
  const differences: ExpectationDifference[] = [];
  for (const key of Object.keys(expected).sort()) {
    if (key.startsWith('$')) continue; // "$comment" and friends are notes for people
    if (!(comparedFields as readonly string[]).includes(key)) {
      differences.push({ path: key, expected: expected[key], actual: undefined, message: `not a compared field (compared: ${comparedFields.join(', ')})` });
      continue;
    }
    diff(key, expected[key], actual[key], differences);
  }
  return differences;
}

/** Reads the expectation beside the .eml; a missing or broken file is itself a difference, never a crash. */
export async function checkExpectation(expectedPath: string, expectedName: string, actual: Record<string, unknown>): Promise<ExpectationResult> {
  let text: string;
  try {
    text = await readFile(expectedPath, 'utf8');
  } catch {
    return { file: expectedName, ok: false, differences: [{ path: '', expected: undefined, actual: undefined, message: 'expectation file not found' }] };
  }
  let expected: unknown;
  try {
    expected = JSON.parse(text);
  } catch (error) {
    return { file: expectedName, ok: false, differences: [{ path: '', expected: undefined, actual: undefined, message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (!isPlainObject(expected)) {
    return { file: expectedName, ok: false, differences: [{ path: '', expected, actual: undefined, message: 'must be a JSON object' }] };
  }
  const differences = compareWithExpected(expected, actual);
  return { file: expectedName, ok: differences.length === 0, differences };
}
