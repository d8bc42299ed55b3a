import { createHash } from 'node:crypto';
import { validateWithSchema } from '../config/schema-registry.ts';
import { checkPreprocessSteps, type PreprocessStepConfig } from '../mail/preprocess/index.ts';
import { compileExpression } from './compile-expression.ts';
import { checkIntakeSettings, readIntakeSettings } from './intake-settings.ts';
import { ruleInvalid, type RuleProblem } from './rule-problem.ts';
import type { CompiledExpression, CompiledRule, CompiledRuleSet, PostActions, RuleSetSpec, RuleSpec } from './rule-types.ts';

const schemaFile = 'rule-set.schema.json';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901: "~" and "/" in a key are escaped. */
function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function ruleNameAt(raw: unknown, pointer: string): string | null {
  const index = /^\/rules\/(\d+)(?:\/|$)/.exec(pointer)?.[1];
  if (index === undefined || !isRecord(raw) || !Array.isArray(raw.rules)) return null;
  const rule: unknown = raw.rules[Number(index)];
  return isRecord(rule) && typeof rule.name === 'string' ? rule.name : `#${index}`;
}

/** Every expression in the file, found defensively so a schema error elsewhere does not hide a JSONata error. */
function listExpressions(raw: unknown): { pointer: string; source: string }[] {
  if (!isRecord(raw) || !Array.isArray(raw.rules)) return [];
  const found: { pointer: string; source: string }[] = [];
  raw.rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    if (typeof rule.when === 'string' && rule.when !== '') found.push({ pointer: `/rules/${index}/when`, source: rule.when });
    if (isRecord(rule.fields)) {
      for (const [name, source] of Object.entries(rule.fields)) {
        if (typeof source === 'string' && source !== '') found.push({ pointer: `/rules/${index}/fields/${pointerKey(name)}`, source });
      }
    }
  });
  return found;
}

/** Checks the schema cannot express: unique names, objectType only with create-object, unreachable rules. */
function checkRuleList(rules: readonly unknown[]): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  const seen = new Map<string, number>();
  let catchAll: string | null = null;
  rules.forEach((item, index) => {
    if (!isRecord(item) || typeof item.name !== 'string') return;
    const rule = item as Partial<RuleSpec> & { name: string };
    const first = seen.get(rule.name);
    if (first !== undefined) problems.push({ pointer: `/rules/${index}/name`, message: `duplicate rule name (also used by /rules/${first})` });
    else seen.set(rule.name, index);
    if (rule.objectType !== undefined && typeof rule.action === 'string' && rule.action !== 'create-object') {
      problems.push({ pointer: `/rules/${index}/objectType`, message: `objectType is only used with action "create-object" (this rule has "${rule.action}")` });
    }
    if (catchAll !== null) {
      problems.push({ pointer: `/rules/${index}`, message: `unreachable: rule "${catchAll}" before it has no "when" and stops the list` });
    }
    if (catchAll === null && rule.when === undefined && rule.stop !== false) catchAll = rule.name;
  });
  return problems;
}

/** Orders problems by place: rules by index (so /rules/10 after /rules/9), then the rest of the pointer. */
function comparePointers(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i] ?? '', y[i] ?? ''];
    if (p === q) continue;
    return /^\d+$/.test(p) && /^\d+$/.test(q) ? Number(p) - Number(q) : p < q ? -1 : 1;
  }
  return x.length - y.length;
}

function freezePostActions(postActions: PostActions | undefined): Readonly<PostActions> {
  const copy: PostActions = { ...postActions };
  if (copy.categories) copy.categories = Object.freeze([...copy.categories]) as string[];
  return Object.freeze(copy);
}

/**
 * Validates a parsed rule file and compiles every JSONata expression in it. All problems are reported at once:
 * throws AppError RULE_INVALID with details.problems [{file, rule, pointer, message, position}].
 * `hash` names the file version (see loadRuleSet); by default it is derived from the parsed content.
 */
export function compileRuleSet(file: string, raw: unknown, hash?: string): CompiledRuleSet {
  const problems: RuleProblem[] = [];
  const add = (pointer: string, message: string, position: number | null = null): void => {
    problems.push({ file, rule: ruleNameAt(raw, pointer), pointer, message, position });
  };

  const schemaProblems = validateWithSchema(schemaFile, raw, file);
  for (const p of schemaProblems) add(p.pointer, p.message);

  const compiled = new Map<string, CompiledExpression>();
  for (const { pointer, source } of listExpressions(raw)) {
    const result = compileExpression(source);
    if (result.ok) compiled.set(pointer, Object.freeze({ source, pointer, expression: result.expression }));
    else add(pointer, result.message, result.position);
  }

  if (isRecord(raw) && Array.isArray(raw.preprocess) && raw.preprocess.every(isRecord)) {
    // The schema and the step registry both see unknown properties; report each place once.
    const reported = new Set(problems.map((p) => p.pointer));
    for (const p of checkPreprocessSteps(raw.preprocess as unknown as PreprocessStepConfig[])) {
      if (!reported.has(`/preprocess${p.pointer}`)) add(`/preprocess${p.pointer}`, p.message);
    }
  }

  if (isRecord(raw) && Array.isArray(raw.rules)) {
    for (const p of checkRuleList(raw.rules)) add(p.pointer, p.message);
  }
  for (const p of checkIntakeSettings(raw)) add(p.pointer, p.message);
  if (problems.length > 0) throw ruleInvalid(problems.sort((a, b) => comparePointers(a.pointer, b.pointer)));

  const spec = raw as RuleSetSpec;
  const expressionAt = (pointer: string): CompiledExpression => {
    const expression = compiled.get(pointer);
    if (!expression) throw new Error(`bug: no compiled expression at ${pointer}`);
    return expression;
  };
  const rules: CompiledRule[] = spec.rules.map((rule, index) => Object.freeze({
    name: rule.name,
    pointer: `/rules/${index}`,
    when: rule.when === undefined ? null : expressionAt(`/rules/${index}/when`),
    action: rule.action,
    objectType: rule.objectType ?? null,
    fields: Object.freeze(Object.keys(rule.fields ?? {}).map((name) => Object.freeze([name, expressionAt(`/rules/${index}/fields/${pointerKey(name)}`)] as const))),
    stop: rule.stop ?? true,
    postActions: freezePostActions(rule.postActions),
  }));

  const intake = readIntakeSettings(spec);
  return Object.freeze({
    file,
    name: spec.name,
    hash: hash ?? createHash('sha256').update(JSON.stringify(raw)).digest('hex'),
    ticketTokenPrefix: spec.ticketTokenPrefix ?? '#',
    // Each step gets the file's enabled packs, so every caller of preprocessMessage runs what the file says.
    preprocess: Object.freeze(spec.preprocess.map((step) => Object.freeze({ ...step, packs: intake.enabledPacks }))),
    intake,
    rules: Object.freeze(rules),
    postActions: freezePostActions(spec.postActions),
  });
}
