import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { AppError } from '../core/index.ts';

// ajv-formats ships CommonJS with a default export that NodeNext types as the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function newAjv(coerceTypes: boolean): Ajv {
  // removeAdditional off: an unknown field is an error (400 naming it), never silently dropped.
  const ajv = new Ajv({ coerceTypes: coerceTypes ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI annotations that ajv does not know.
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

export interface SchemaCompilers {
  validatorCompiler: FastifySchemaCompiler<unknown>;
  serializerCompiler: FastifySerializerCompiler<unknown>;
  addSchema(schema: { $id: string }): void;
}

/**
 * Request bodies are validated strictly (no type coercion: "5" is not a number); query strings and path parameters
 * arrive as text, so they are coerced. Responses are validated against their route schema before they are sent
 * (a mismatch is a bug: 500, logged), so the OpenAPI document never promises what the server does not send.
 */
export function createSchemaCompilers(): SchemaCompilers {
  const strict = newAjv(false);
  const coercing = newAjv(true);
  const responses = newAjv(false);
  const cache = new WeakMap<object, ValidateFunction>();
  const compileWith = (ajv: Ajv, schema: object): ValidateFunction => {
    let fn = cache.get(schema);
    if (!fn) {
      fn = ajv.compile(schema);
      cache.set(schema, fn);
    }
    return fn;
  };
  return {
    addSchema(schema) {
      for (const ajv of [strict, coercing, responses]) ajv.addSchema(schema);
    },
    validatorCompiler({ schema, httpPart }) {
      const validate = (httpPart === 'body' ? strict : coercing).compile(schema as object);
      return (data: unknown) => (validate(data) ? { value: data } : { error: Object.assign(new Error('invalid request'), { validation: validate.errors }) });
    },
    serializerCompiler({ schema }) {
      const validate = compileWith(responses, schema as object);
      return (data: unknown) => {
        const json = JSON.stringify(data);
        if (!validate(JSON.parse(json))) {
          throw new AppError('INTERNAL', 'the answer does not match its route schema', { details: { problems: validate.errors?.slice(0, 5) ?? [] } });
        }
        return json;
      };
    },
  };
}
