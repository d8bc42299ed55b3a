import { errorBodySchema } from './error-schema.ts';
import { ticketSharedSchemas } from './ticket-schemas.ts';

/** Schemas routes refer to with `$ref: 'Name#'`; registered once with the validators and the OpenAPI document. */
export const sharedSchemas: readonly { $id: string }[] = [
  errorBodySchema,
  ...ticketSharedSchemas,
];
