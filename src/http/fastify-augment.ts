import type { Principal, RouteAccess } from './principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on every request. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Required on every route: who may call it (see src/http/README.md). */
    access?: RouteAccess;
    /** Page routes: send people who are not signed in to the sign-in page instead of answering 401. */
    signInRedirect?: boolean;
  }
}

export {};
