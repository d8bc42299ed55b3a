import type { Command } from 'commander';
import { createApiTokenStore } from '../../auth/access/index.ts';
import { systemClock } from '../../core/index.ts';
import type { CliDeps } from '../cli-deps.ts';
import { formatTable, formatWhen } from './format-table.ts';

/** `mailroom api-tokens create|list|revoke`: tokens for machines using the HTTP API, stored as hashes only. */
export function registerApiTokensCommands(program: Command, deps: CliDeps): void {
  const tokens = program.command('api-tokens').description('API tokens for scripts and other systems (shown once, stored as a hash)');

  tokens
    .command('create')
    .description('create a token; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what uses it (lower case, digits, . _ -)')
    .requiredOption('--scopes <list>', 'comma-separated: tickets:read, tickets:write, jobs:read, jobs:run, jobs:manage, connections:test, notifications:read, quarantine:replay')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; scopes: string; json?: boolean }) => {
      const store = createApiTokenStore(await deps.openStore(), systemClock);
      const { token, info } = await store.create({ name: options.name, scopes: options.scopes.split(',').map((s) => s.trim()).filter(Boolean) });
      if (options.json) return void deps.stdout(`${JSON.stringify({ token, ...info })}\n`);
      deps.stdout(`${token}\n`);
      deps.stderr(`token "${info.name}" created with ${info.scopes.join(', ')}; copy it now, it is not shown again. Use it as: Authorization: Bearer <token>\n`);
    });

  tokens
    .command('list')
    .description('every token with its scopes, creation, last use and revocation (never the token)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await createApiTokenStore(await deps.openStore(), systemClock).list();
      if (options.json) return void deps.stdout(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return void deps.stdout('no API tokens yet: create one with `mailroom api-tokens create --name <name> --scopes tickets:read`\n');
      deps.stdout(formatTable(['name', 'starts with', 'scopes', 'created', 'last used', 'revoked'], list.map((t) => [
        t.name, `${t.prefix}…`, t.scopes.join(','), formatWhen(t.createdAt), formatWhen(t.lastUsedAt), formatWhen(t.revokedAt),
      ])));
    });

  tokens
    .command('revoke')
    .description('revoke a token at once: requests with it answer 401 from now on')
    .argument('<name>', 'token name (or id)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const info = await createApiTokenStore(await deps.openStore(), systemClock).revoke(name);
      if (options.json) return void deps.stdout(`${JSON.stringify(info)}\n`);
      deps.stdout(`token "${info.name}" revoked\n`);
    });
}
