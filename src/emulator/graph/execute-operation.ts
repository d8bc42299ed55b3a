import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../entra/access-tokens.ts';
import { GRAPH_JSON, type EmulatorResponse, type GraphOperation } from '../http/emulator-types.ts';
import { errorResponse, GraphError } from '../http/graph-error.ts';
import { parsePrefer } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import { faultError } from '../limits/fault-injector.ts';
import type { DirectoryObject } from '../state/tenant-state.ts';
import type { GraphEnvironment, OperationContext, RouteMeta } from './operation-context.ts';

/**
 * Runs one Graph operation through the same steps for a top-level request and for a `$batch` item:
 * stats → injected fault → token → route → user/mailbox → permission → throttle (per app + mailbox) → handler.
 */
export async function executeOperation(env: GraphEnvironment, router: Router<RouteMeta>, op: GraphOperation, via: 'request' | Set<string> = 'request'): Promise<EmulatorResponse> {
  const requestId = randomUUID();
  const clientRequestId = op.headers['client-request-id'] ?? requestId;
  const applied = new Set<string>();
  let release: (() => void) | undefined;
  let response: EmulatorResponse;
  try {
    response = await run();
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    response = errorResponse(error, requestId, clientRequestId);
  } finally {
    release?.();
  }
  const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId, ...response.headers };
  if (applied.size > 0) headers['Preference-Applied'] = [...applied].join(',');
  if (response.body !== undefined && !Buffer.isBuffer(response.body) && typeof response.body !== 'string') {
    headers['Content-Type'] = GRAPH_JSON;
    headers['OData-Version'] = '4.0';
  }
  return { status: response.status, headers, body: response.body, ...(response.cutAfterBytes === undefined ? {} : { cutAfterBytes: response.cutAfterBytes }) };

  async function run(): Promise<EmulatorResponse> {
    let principal: Principal | undefined;
    let authError: GraphError | undefined;
    try {
      principal = await env.verifier.verify(op.headers.authorization);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      authError = error;
    }
    let path = op.path;
    const isMe = /^\/me(\/|$)/i.test(path);
    if (isMe && principal?.kind === 'user' && principal.userId !== undefined) path = `/users/${principal.userId}${path.slice(3)}`;
    const result = router.match(op.method, path);
    const state = env.state();
    const userParam = result.kind === 'match' ? result.match.params.user : undefined;
    const target: DirectoryObject | undefined = userParam === undefined ? undefined : state.find(userParam);
    const mailboxKey = userParam === undefined ? undefined : (target?.upn ?? userParam.toLowerCase());
    const routeName = result.kind === 'match' ? result.match.route.name : `${op.method} (unmatched)`;
    env.stats.countOperation(routeName, mailboxKey);
    if (via === 'request') env.stats.countHttpRoute(routeName);
    else via.add(routeName);
    const fault = env.faults.take(op.method, `/v1.0${op.path}`, mailboxKey);
    if (fault !== undefined && fault.afterEffect !== true && fault.cutAfterBytes === undefined) throw faultError(fault);
    if (authError !== undefined || principal === undefined) throw authError ?? new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (isMe && principal.kind === 'app') throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    if (result.kind === 'method') throw new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request uri.');
    if (result.kind === 'none') throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${result.segment}'.`);
    const { route, params } = result.match;
    const meta = route.meta;
    if (userParam !== undefined) checkTarget(meta, target, userParam);
    const ownMailbox = principal.kind === 'user' && target !== undefined && target.id === principal.userId;
    checkPermission(meta, principal, target, ownMailbox);
    if (meta.workload === 'outlook' && target !== undefined) release = env.throttle.acquire(principal.appId, target.upn);
    if (env.latencyMs > 0) await sleep(env.latencyMs);
    const ctx: OperationContext = {
      env,
      op: { ...op, path },
      params,
      principal,
      target,
      mailbox: target?.mailbox,
      prefer: parsePrefer(op.headers.prefer),
      applied,
      routeName: route.name,
      requestUrl: `${env.url}/v1.0${op.path}`,
    };
    const answer = await meta.handler(ctx);
    if (fault?.cutAfterBytes !== undefined) return via === 'request' ? { ...answer, cutAfterBytes: fault.cutAfterBytes } : answer;
    // A lost response: the operation happened, the client hears only the fault.
    if (fault !== undefined) throw faultError(fault);
    return answer;
  }
}

function checkTarget(meta: RouteMeta, target: DirectoryObject | undefined, userParam: string): void {
  if (meta.workload === 'directory') {
    if (target === undefined) {
      throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${userParam}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return;
  }
  if (target === undefined) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userParam}' is invalid.`);
  if (target.mailbox === undefined) {
    throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
}

function checkPermission(meta: RouteMeta, principal: Principal, target: DirectoryObject | undefined, ownMailbox: boolean): void {
  const denied = (): GraphError =>
    meta.workload === 'directory'
      ? new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
      : new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  let needed = meta.permissions;
  if (principal.kind === 'user' && meta.workload === 'directory' && target?.id === principal.userId) {
    // A signed-in user may always read their own profile with User.Read.
    needed = [...needed, 'User.Read'];
  }
  if (principal.kind === 'user' && meta.workload === 'outlook' && target !== undefined && !ownMailbox) {
    // Another user's mailbox through delegated access needs the ".Shared" scope and a mailbox permission.
    if (target.mailbox === undefined || !target.mailbox.delegates.has(principal.upn ?? '')) throw denied();
    needed = needed.map((p) => `${p}.Shared`);
  }
  if (needed.length > 0 && !needed.some((p) => principal.permissions.has(p))) throw denied();
  const policy = principal.app.def.mailboxAccess;
  if (principal.kind === 'app' && meta.workload === 'outlook' && target !== undefined && policy !== undefined) {
    if (!policy.restrictTo.some((m) => m.toLowerCase() === target.upn)) {
      // An application access policy (New-ApplicationAccessPolicy) blocking this mailbox.
      throw new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.');
    }
  }
}
