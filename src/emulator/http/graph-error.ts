import type { EmulatorResponse } from './emulator-types.ts';

/**
 * A Graph error answer. Thrown by handlers and turned into Graph's envelope
 * ({"error":{code,message,innerError{date,request-id,client-request-id}}}, https://learn.microsoft.com/en-us/graph/errors).
 */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function errorResponse(error: GraphError, requestId: string, clientRequestId: string): EmulatorResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: {
      error: {
        code: error.code,
        message: error.message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId },
      },
    },
  };
}

export const itemNotFound = (): GraphError => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
export const idMalformed = (): GraphError => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
export const accessDenied = (): GraphError => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
export const badRequest = (message: string, code = 'BadRequest'): GraphError => new GraphError(400, code, message);
export const invalidRequest = (message: string): GraphError => new GraphError(400, 'ErrorInvalidRequest', message);
