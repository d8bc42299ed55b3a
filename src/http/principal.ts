import type { AccessRole, AccessScope } from '../auth/access/index.ts';

/** Who makes a request: a person with a console session, a machine with an API token, or nobody yet. */
export type Principal =
  | { kind: 'session'; name: string; displayName: string; role: AccessRole; scopes: ReadonlySet<AccessScope> }
  | { kind: 'token'; name: string; tokenId: string; scopes: ReadonlySet<AccessScope> }
  | { kind: 'anonymous' };

/** What a route needs: `public` (no sign-in), `signed-in` (anyone signed in), or one scope. */
export type RouteAccess = 'public' | 'signed-in' | AccessScope;

/** The name logged for a request: the account or the token's name, never a secret. */
export function principalLabel(principal: Principal): string {
  switch (principal.kind) {
    case 'session':
      return `user:${principal.name}`;
    case 'token':
      return `token:${principal.name}`;
    default:
      return 'anonymous';
  }
}
