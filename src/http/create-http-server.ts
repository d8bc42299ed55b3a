import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createApiTokenStore, createOneTimeSignIn, createSessionStore, createSignInRequestStore } from '../auth/access/index.ts';
import { withHttpDefaults, type HttpConfig } from '../config/http-config.ts';
import { resolveSecret } from '../config/secret-ref.ts';
import { AppError } from '../core/index.ts';
import './fastify-augment.ts';
import { createFailureLimiter } from './failure-limiter.ts';
import type { HttpHost } from './http-host.ts';
import { createSchemaCompilers } from './create-schema-compilers.ts';
import { registerAccess } from './plugins/access-plugin.ts';
import { registerErrorHandling } from './plugins/error-plugin.ts';
import { registerOpenApi } from './plugins/openapi-plugin.ts';
import { registerRequestLog } from './plugins/request-log-plugin.ts';
import { registerSecurity } from './plugins/security-plugin.ts';
import type { RouteContext, RouteGroup } from './route-group.ts';
import { routeGroups } from './route-groups.ts';
import { sharedSchemas } from './schemas/shared-schemas.ts';
import { defaultSessionSweepMs, startSessionSweep, type SessionSweep } from './session-sweep.ts';

export interface HttpServerOptions {
  /** Defaults to the config's `http` settings. */
  settings?: HttpConfig;
  /** Route groups mounted after the built-in ones (tests, or a caller with routes of its own). */
  extraGroups?: readonly RouteGroup[];
  /** Shown in the OpenAPI document. */
  version?: string;
  /** How often a listening server deletes expired console sessions and sign-in requests (milliseconds; default 15 minutes). */
  sessionSweepMs?: number;
}

export interface HttpServer {
  readonly fastify: FastifyInstance;
  /** Starts listening; resolves to the listening URL (e.g. http://127.0.0.1:8080). */
  listen(): Promise<string>;
  /** Every route mounted (method and URL as registered), e.g. to check the OpenAPI document against them. */
  routes(): readonly { method: string; url: string }[];
  /** Where people reach the server: publicBaseUrl, else the listening URL. */
  baseUrl(): string;
  /** A new one-time sign-in link (the demo's way in when no Entra sign-in is configured); null when Entra is configured. */
  issueSignInUrl(next?: string): string | null;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function tlsOptions(settings: HttpConfig, host: HttpHost): { key: string; cert: string } | null {
  if (!settings.tls) return null;
  const context = { env: host.config.env, baseDir: host.config.root };
  try {
    return { key: resolveSecret(settings.tls.privateKey, context, 'http.tls.privateKey'), cert: readFileSync(resolve(host.config.root, settings.tls.certificateFile), 'utf8') };
  } catch (error) {
    throw new AppError('HTTP_LISTEN_FAILED', `cannot read the HTTP server's TLS files: ${(error as Error).message}`, { cause: error, hint: 'Check http.tls.certificateFile and http.tls.privateKey in schedules/.' });
  }
}

/**
 * Builds the HTTP server: Fastify with strict schema validation, the error shape, request logging, security headers,
 * cookies, CSRF, sessions and API tokens, the OpenAPI document, then every route group. Nothing listens until
 * `listen()`.
 */
export async function createHttpServer(host: HttpHost, options: HttpServerOptions = {}): Promise<HttpServer> {
  const settings = options.settings ?? host.config.http ?? withHttpDefaults(undefined, null);
  if (!settings.signIn && !isLoopback(settings.host)) {
    throw new AppError('HTTP_LISTEN_FAILED', `the HTTP server may listen on ${settings.host} only with a sign-in configured`, {
      hint: 'Without http.signIn anyone with the one-time link gets in, so only loopback (127.0.0.1) is allowed; add http.signIn in schedules/ or listen on 127.0.0.1.',
    });
  }
  const tls = tlsOptions(settings, host);
  const compilers = createSchemaCompilers();
  const fastify = Fastify({
    logger: false,
    ...(tls ? { https: tls } : {}),
    trustProxy: typeof settings.trustProxy === 'boolean' ? settings.trustProxy : [...settings.trustProxy],
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  fastify.setValidatorCompiler(compilers.validatorCompiler);
  fastify.setSerializerCompiler(compilers.serializerCompiler);
  for (const schema of sharedSchemas) {
    compilers.addSchema(schema);
    fastify.addSchema(schema);
  }

  const tokens = createApiTokenStore(host.store, host.clock);
  const sessions = createSessionStore(host.store, host.clock);
  const signInRequests = createSignInRequestStore(host.store, host.clock);
  const oneTime = createOneTimeSignIn();
  let listening: string | null = null;
  let sweep: SessionSweep | null = null;
  const baseUrl = (): string => settings.publicBaseUrl ?? listening ?? `http${tls ? 's' : ''}://${settings.host}:${settings.port}`;
  const context: RouteContext = { host, settings, tokens, sessions, oneTime, baseUrl };

  const routes: { method: string; url: string }[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  registerErrorHandling(fastify, host.logger);
  await registerSecurity(fastify);
  await registerOpenApi(fastify, options.version ?? '0.1.0');
  registerAccess(fastify, { tokens, sessions, failedTokens: createFailureLimiter({ max: 20, windowMs: 10 * 60_000 }) });
  registerRequestLog(fastify, host.logger);
  for (const group of [...routeGroups, ...(options.extraGroups ?? [])]) {
    await fastify.register(async (child) => group.register(child, context), { prefix: group.prefix });
  }

  return {
    fastify,
    baseUrl,
    routes: () => routes,
    async listen() {
      try {
        await fastify.listen({ host: settings.host, port: settings.port });
      } catch (error) {
        throw new AppError('HTTP_LISTEN_FAILED', `the HTTP server cannot listen on ${settings.host}:${settings.port}: ${(error as Error).message}`, {
          cause: error, hint: 'Pick another http.port in schedules/ (0 picks a free one), or stop what uses this one.',
        });
      }
      const address = fastify.server.address();
      const port = typeof address === 'object' && address ? address.port : settings.port;
      const shownHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
      listening = `http${tls ? 's' : ''}://${shownHost}:${port}`;
      const expiring = [{ what: 'console session(s)', purgeExpired: () => sessions.purgeExpired() }, { what: 'sign-in request(s) never finished', purgeExpired: () => signInRequests.purgeExpired() }];
      sweep ??= startSessionSweep(expiring, host.logger, options.sessionSweepMs ?? defaultSessionSweepMs);
      return listening;
    },
    issueSignInUrl(next) {
      if (settings.signIn) return null;
      const query = new URLSearchParams({ token: oneTime.issue(), ...(next ? { next } : {}) });
      return `${baseUrl()}/auth/one-time?${query.toString()}`;
    },
    async close() {
      await sweep?.stop();
      await fastify.close();
    },
  };
}
