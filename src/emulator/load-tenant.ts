import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { AppError } from '../core/index.ts';
import type { TenantDefinition } from './tenant-definition.ts';

// ajv-formats ships CommonJS with a default export that NodeNext types as the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export interface TenantProblem {
  file: string;
  /** JSON pointer into the tenant file. */
  pointer: string;
  message: string;
}

let validator: ValidateFunction | undefined;

function compiledSchema(): ValidateFunction {
  if (validator !== undefined) return validator;
  const schemaFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tenant.schema.json');
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  validator = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return validator;
}

function describe(error: ErrorObject, file: string): TenantProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return { file, pointer: error.instancePath, message: `missing required field "${String(params.missingProperty)}"` };
  if (error.keyword === 'additionalProperties') {
    return { file, pointer: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'unknown field (check its spelling)' };
  }
  return { file, pointer: error.instancePath, message: error.message ?? error.keyword };
}

/** Checks a tenant against the JSON Schema and the cross-references the schema cannot express. */
export function checkTenant(data: unknown, file: string): TenantProblem[] {
  const validate = compiledSchema();
  if (!validate(data)) {
    const structural = new Set(['oneOf', 'anyOf', 'const']);
    const errors = validate.errors ?? [];
    const specific = errors.filter((e) => !structural.has(e.keyword));
    return (specific.length > 0 ? specific : errors).map((e) => describe(e, file));
  }
  const tenant = data as TenantDefinition;
  const problems: TenantProblem[] = [];
  const seen = new Map<string, string>();
  const claim = (key: string, pointer: string): void => {
    const previous = seen.get(key.toLowerCase());
    if (previous !== undefined) problems.push({ file, pointer, message: `duplicates ${previous}` });
    else seen.set(key.toLowerCase(), pointer);
  };
  tenant.users.forEach((user, i) => {
    claim(user.id, `/users/${i}/id`);
    claim(user.userPrincipalName, `/users/${i}/userPrincipalName`);
  });
  (tenant.rooms ?? []).forEach((room, i) => {
    claim(room.id, `/rooms/${i}/id`);
    claim(room.emailAddress, `/rooms/${i}/emailAddress`);
  });
  tenant.applications.forEach((app, i) => claim(app.clientId, `/applications/${i}/clientId`));
  const roomEmails = new Set((tenant.rooms ?? []).map((r) => r.emailAddress.toLowerCase()));
  (tenant.roomLists ?? []).forEach((list, i) => {
    list.rooms.forEach((room, j) => {
      if (!roomEmails.has(room.toLowerCase())) problems.push({ file, pointer: `/roomLists/${i}/rooms/${j}`, message: `no room "${room}"` });
    });
  });
  if ((tenant.applications[0]?.secrets ?? []).length === 0) {
    problems.push({ file, pointer: '/applications/0/secrets', message: 'the first application (the demo app) needs a secret' });
  }
  return problems;
}

export function assertValidTenant(data: unknown, file: string): TenantDefinition {
  const problems = checkTenant(data, file);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.file}#${p.pointer}: ${p.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid tenant file:\n${lines.join('\n')}`, { details: { problems } });
  }
  return data as TenantDefinition;
}

export async function loadTenantFile(file: string): Promise<TenantDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `Cannot read tenant file ${file}`, { cause: error, details: { file } });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `${file}: not valid JSON (${(error as Error).message})`, { cause: error, details: { file } });
  }
  return assertValidTenant(data, file);
}
