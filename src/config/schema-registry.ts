import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { ConfigProblem } from './config-problem.ts';

// ajv-formats ships CommonJS with a default export that NodeNext types as the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
export const schemaBase = 'https://mailroom.local/schemas/';

let ajv: Ajv | undefined;

/** Loads every schema in src/config/schemas once, on first use (never on import). */
function registry(): Ajv {
  if (ajv) return ajv;
  const instance = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, useDefaults: false });
  addFormats(instance);
  instance.addKeyword({ keyword: 'x-example' });
  for (const name of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(schemaDir, name), 'utf8')) as { $id?: string };
    instance.addSchema(schema, schema.$id ?? schemaBase + name);
  }
  ajv = instance;
  return instance;
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: error.instancePath, message: `missing required field "${String(params.missingProperty)}"` };
    case 'additionalProperties':
      return { pointer: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'unknown field (check its spelling)' };
    case 'enum':
      return { pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { pointer: error.instancePath, message: error.message ?? error.keyword };
  }
}

/** Drops the noise ajv emits for a failed oneOf/anyOf/if when a more specific error names the same place. */
function prune(errors: readonly ErrorObject[]): ErrorObject[] {
  const structural = new Set(['oneOf', 'anyOf', 'if', 'not']);
  const specific = errors.filter((e) => !structural.has(e.keyword));
  const kept = errors.filter((e) => !structural.has(e.keyword) || !specific.some((s) => s.instancePath.startsWith(e.instancePath)));
  return kept;
}

export function validateWithSchema(schemaFile: string, data: unknown, file: string): ConfigProblem[] {
  const validate: ValidateFunction | undefined = registry().getSchema(schemaBase + schemaFile);
  if (!validate) throw new Error(`schema ${schemaFile} is not registered`);
  if (validate(data)) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of prune(validate.errors ?? [])) {
    const { pointer, message } = describe(error);
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, pointer, message });
  }
  return problems;
}
