/** The HTTP server: API under /api/v1, sign-in and sessions, the OpenAPI document; route groups mount on it. */
export { createHttpServer, type HttpServer, type HttpServerOptions } from './create-http-server.ts';
export type { HttpHost } from './http-host.ts';
export type { RouteGroup, RouteContext } from './route-group.ts';
export type { Principal, RouteAccess } from './principal.ts';
export { errorResponses } from './schemas/error-schema.ts';
