import { json } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import { matchesFilter } from '../http/odata-filter.ts';
import { applySelect, parseQueryOptions, readOption } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import type { DirectoryObject } from '../state/tenant-state.ts';
import type { OperationContext, RouteMeta } from './operation-context.ts';
import { linkWith } from './paging.ts';
import { USERS_READ } from './permissions.ts';

export function userJson(object: DirectoryObject): Record<string, unknown> {
  const user = object.user;
  const room = object.room;
  return {
    businessPhones: [],
    displayName: user?.displayName ?? room?.displayName ?? object.upn,
    givenName: user?.givenName ?? null,
    jobTitle: user?.jobTitle ?? null,
    mail: user?.mail ?? (room === undefined ? null : room.emailAddress),
    mobilePhone: null,
    officeLocation: user?.officeLocation ?? null,
    preferredLanguage: user?.preferredLanguage ?? null,
    surname: user?.surname ?? null,
    userPrincipalName: user?.userPrincipalName ?? room?.emailAddress ?? object.upn,
    id: object.id,
  };
}

/** Filters beyond `eq`/`startswith` need advanced query headers (https://learn.microsoft.com/en-us/graph/aad-advanced-queries). */
function checkAdvancedQuery(ctx: OperationContext, filterText: string | undefined): void {
  if (filterText === undefined) return;
  const advanced = /\sne\s|endswith\(|not\(|\bnot\s/i.exec(filterText);
  if (advanced !== null && (ctx.op.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
    const property = /(\w+)\s+ne\s/i.exec(filterText)?.[1] ?? /endswith\((\w+)/i.exec(filterText)?.[1] ?? 'unknown';
    throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
  }
}

function listUsers(ctx: OperationContext): ReturnType<typeof json> {
  const options = parseQueryOptions(ctx.op.query, 999);
  if (readOption(ctx.op.query, '$skip') !== undefined) {
    throw new GraphError(400, 'Request_BadRequest', "'$skip' is not supported by the service.");
  }
  checkAdvancedQuery(ctx, options.filterText);
  const all = ctx.env.state().directory.map(userJson).filter((u) => options.filter === undefined || matchesFilter(options.filter, u));
  const start = Number(Buffer.from(readOption(ctx.op.query, '$skiptoken') ?? '', 'base64url').toString() || '0');
  const top = options.top ?? 100;
  const page = all.slice(start, start + top).map((u) => applySelect(u, options.select));
  const body: Record<string, unknown> = { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users`, value: page };
  if (start + top < all.length) body['@odata.nextLink'] = linkWith(ctx, { $skiptoken: Buffer.from(String(start + top)).toString('base64url') });
  return json(200, body);
}

export function registerUserRoutes(router: Router<RouteMeta>): void {
  router.add('GET', '/users', { workload: 'none', permissions: USERS_READ, handler: listUsers });
  router.add('GET', '/users/{user}', {
    workload: 'directory',
    permissions: USERS_READ,
    handler: (ctx) => {
      const options = parseQueryOptions(ctx.op.query);
      if (ctx.target === undefined) throw new Error('user route without target');
      return json(200, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users/$entity`, ...applySelect(userJson(ctx.target), options.select) });
    },
  });
}
