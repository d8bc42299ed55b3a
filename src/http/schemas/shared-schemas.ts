import { errorBodySchema } from './error-schema.ts';
import { jobSharedSchemas } from './job-schemas.ts';
import { ticketSharedSchemas } from './ticket-schemas.ts';

/** Schemas routes refer to with `$ref: 'Name#'`; registered once with the validators and the OpenAPI document. */
export const sharedSchemas: readonly { $id: string }[] = [
  errorBodySchema,
  ...ticketSharedSchemas,
  ...jobSharedSchemas,
];
