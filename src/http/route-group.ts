import type { FastifyInstance } from 'fastify';
import type { ApiTokenStore, OneTimeSignIn, SessionStore } from '../auth/access/index.ts';
import type { HttpConfig } from '../config/http-config.ts';
import type { HttpHost } from './http-host.ts';

/** What every route group gets: the application's services, the sign-in services and the server's settings. */
export interface RouteContext {
  host: HttpHost;
  settings: HttpConfig;
  tokens: ApiTokenStore;
  sessions: SessionStore;
  oneTime: OneTimeSignIn;
  /** Where people reach the server (publicBaseUrl, else the listening address), no trailing slash; set once listening. */
  baseUrl(): string;
}

/**
 * A set of routes under one prefix (API resources, console pages, the change-notification endpoint…). Every route
 * declares `config.access`; the server refuses to start otherwise. See src/http/README.md.
 */
export interface RouteGroup {
  name: string;
  prefix: string;
  register(fastify: FastifyInstance, context: RouteContext): void | Promise<void>;
}
