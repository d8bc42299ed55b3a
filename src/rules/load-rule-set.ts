import { resolve } from 'node:path';
import { compileRuleSet } from './compile-rule-set.ts';
import { loadRuleFile } from './load-rule-file.ts';
import { warmRuleWorkers } from './rule-worker-pool.ts';
import type { CompiledRuleSet } from './rule-types.ts';

/** Compiled rule sets by absolute path; an entry is reused while the file's content hash is unchanged. */
const compiledByPath = new Map<string, CompiledRuleSet>();

/**
 * Reads, validates and compiles a rule file, once per file version: a job that runs every minute re-reads the
 * file (cheap) but recompiles only after it changed. `file` is resolved against `cwd` (default: the process's)
 * and named as given in errors. Throws AppError RULE_INVALID.
 */
export async function loadRuleSet(file: string, options: { cwd?: string } = {}): Promise<CompiledRuleSet> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  warmRuleWorkers();
  const source = await loadRuleFile(path, file);
  const cached = compiledByPath.get(path);
  if (cached?.hash === source.hash) return cached;
  const compiled = compileRuleSet(file, source.raw, source.hash);
  compiledByPath.set(path, compiled);
  return compiled;
}
