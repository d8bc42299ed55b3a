/** The body of every error answer: `{error: {code, message, hint, details}}`. */
export const errorBodySchema = {
  $id: 'ErrorBody',
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', description: 'A stable error code (see the README\'s error table).' },
        message: { type: 'string' },
        hint: { type: 'string', description: 'What to do about it.' },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'Facts about the error; for a bad request `in` (body, querystring, params) and `pointer` (RFC 6901) name the field.',
        },
      },
    },
  },
} as const;

const descriptions: Record<number, string> = {
  400: 'Bad request: details.pointer names the field.',
  401: 'Not signed in, or the token is unknown or revoked.',
  403: 'Signed in, but not allowed (missing scope or reader role), or a missing CSRF token.',
  404: 'No such resource.',
  409: 'Conflicts with the resource\'s state.',
  429: 'Too many attempts; see Retry-After.',
};

/** Response schemas for the error statuses a route can answer, for validation and the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, { description: descriptions[status] ?? 'Error.', $ref: 'ErrorBody#' }]));
}
