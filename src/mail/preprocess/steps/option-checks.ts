import type { StepProblem } from '../step-types.ts';
import { findRegexProblem } from './regex-safety.ts';

/** Small validators shared by the steps' checkOptions; each returns problems with pointers relative to options. */
export function checkKnownKeys(options: Record<string, unknown>, known: readonly string[]): StepProblem[] {
  return Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => ({ pointer: `/${key}`, message: `unknown option "${key}"; known: ${known.join(', ') || 'none'}` }));
}

export function checkBoolean(options: Record<string, unknown>, key: string): StepProblem[] {
  const value = options[key];
  return value === undefined || typeof value === 'boolean' ? [] : [{ pointer: `/${key}`, message: `"${key}" must be true or false` }];
}

export function checkEnum(options: Record<string, unknown>, key: string, allowed: readonly string[]): StepProblem[] {
  const value = options[key];
  return value === undefined || (typeof value === 'string' && allowed.includes(value))
    ? []
    : [{ pointer: `/${key}`, message: `"${key}" must be one of ${allowed.join(', ')}` }];
}

export function checkStringList(options: Record<string, unknown>, key: string, allowed?: readonly string[]): StepProblem[] {
  const value = options[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [{ pointer: `/${key}`, message: `"${key}" must be a list of strings` }];
  return value.flatMap((item, index) => {
    if (typeof item !== 'string') return [{ pointer: `/${key}/${index}`, message: 'must be a string' }];
    if (allowed !== undefined && !allowed.includes(item)) return [{ pointer: `/${key}/${index}`, message: `"${item}" is not one of ${allowed.join(', ')}` }];
    return [];
  });
}

/** A list of regular expression sources: each must compile and must not be able to backtrack catastrophically. */
export function checkPatternList(options: Record<string, unknown>, key: string, flags = 'imu'): StepProblem[] {
  const listProblems = checkStringList(options, key);
  if (listProblems.length > 0) return listProblems;
  const value = (options[key] ?? []) as string[];
  return value.flatMap((source, index) => checkPattern(source, flags, `/${key}/${index}`));
}

export function checkPattern(source: unknown, flags: string, pointer: string): StepProblem[] {
  if (typeof source !== 'string' || source === '') return [{ pointer, message: 'must be a non-empty regular expression' }];
  try {
    new RegExp(source, flags);
  } catch (error) {
    return [{ pointer, message: `invalid regular expression: ${(error as Error).message}` }];
  }
  const risk = findRegexProblem(source);
  return risk === null ? [] : [{ pointer, message: risk }];
}

export function checkFlags(options: Record<string, unknown>, key: string): StepProblem[] {
  const value = options[key];
  if (value === undefined) return [];
  return typeof value === 'string' && /^[imsu]*$/.test(value) && new Set(value).size === value.length
    ? []
    : [{ pointer: `/${key}`, message: `"${key}" may hold only the flags i, m, s, u (g is implied)` }];
}
