import { createTokenProvider, readTokenRoles, resolveCredential, type TokenCacheStore } from '../../auth/index.ts';
import { toAppError, type AppError } from '../../core/index.ts';
import { resolveConnectionHosts, type ConnectionConfig } from '../../config/connection-config.ts';
import { createGraphClient, resolveMailFolder, userPath, type GraphClient } from '../index.ts';
import type { Logger } from '../../log/index.ts';
import { missingRoles, requiredRoles, type ConnectionJob } from './required-roles.ts';
import { checkPostActionFolders, type PostActionFolderLister } from './check-post-action-folders.ts';

export type { StepStatus, TestStep } from './connection-test-step.ts';
import type { TestStep } from './connection-test-step.ts';

export interface ConnectionTestReport {
  connection: string;
  ok: boolean;
  steps: TestStep[];
}

export interface ConnectionTestContext {
  env: Readonly<Record<string, string | undefined>>;
  baseDir: string;
  logger: Logger;
  now: Date;
  /** rules/notifications.json exists: mail jobs then send mail too. */
  notificationsOn: boolean;
  /** Delegated connections read their signed-in account's token cache from here. */
  store?: TokenCacheStore;
  /** Lists the folders a mail job's post-actions and rules move mail to (rules are read by the mail lane); none when absent. */
  postActionFolders?: PostActionFolderLister;
  /** Test-only knobs for the Graph client (attempts, timeout). */
  graph?: { maxAttempts?: number; timeoutMs?: number; retryBaseDelayMs?: number };
}

const warnDays = 30;
const dayMs = 86_400_000;

function failed(step: TestStep['step'], error: unknown, prefix = ''): TestStep {
  const e: AppError = toAppError(error);
  return { step, status: 'fail', reason: `${prefix}${e.message}`, code: e.code, ...(e.hint ? { hint: e.hint } : {}) };
}

function expiryStep(connection: ConnectionConfig, context: ConnectionTestContext): TestStep {
  let expires: Date | undefined;
  let what = 'client secret';
  if ('certificate' in connection.credential) {
    what = 'certificate';
    try {
      expires = resolveCredential(connection, context).expiresAt;
    } catch (error) {
      return failed('secret-expiry', error);
    }
    if (!expires) return { step: 'secret-expiry', status: 'warn', reason: 'certificate expiry unknown', hint: 'Set credential.certificate.certificateFile so the expiry can be read from the certificate.' };
  } else if (connection.secretExpiresAt !== undefined) {
    // The portal shows a date; the secret stops working at the end of that day at the latest.
    expires = new Date(`${connection.secretExpiresAt}T23:59:59Z`);
  } else {
    return { step: 'secret-expiry', status: 'warn', reason: 'client secret expiry unknown', hint: 'Set secretExpiresAt to the expiry date shown under Certificates & secrets, to be warned 30 days ahead.' };
  }
  const days = Math.floor((expires.getTime() - context.now.getTime()) / dayMs);
  const date = expires.toISOString().slice(0, 10);
  if (days < 0) {
    return { step: 'secret-expiry', status: 'fail', reason: `${what} expired on ${date}`, hint: `Create a new ${what} under App registrations > Certificates & secrets and update the connection.` };
  }
  if (days < warnDays) {
    return { step: 'secret-expiry', status: 'warn', reason: `${what} expires on ${date}, in ${days} day${days === 1 ? '' : 's'}`, hint: `Create a new ${what} now and update the connection before ${date}.` };
  }
  return { step: 'secret-expiry', status: 'ok', reason: `${what} expires on ${date} (in ${days} days)` };
}

interface Target { mailbox: string; folder: string | undefined; jobs: string[]; mail: boolean }

// Jobs whose `mailbox` the test opens: mail jobs read it, notifications jobs send from it.
const mailboxJobTypes = new Set(['mail', 'notifications']);

function targetsOf(jobs: readonly ConnectionJob[], mailbox: string | undefined, folder: string | undefined): Target[] {
  if (mailbox !== undefined) return [{ mailbox, folder, jobs: [], mail: true }];
  const targets = new Map<string, Target>();
  for (const job of jobs) {
    if (job.mailbox === undefined || !mailboxJobTypes.has(job.type)) continue;
    const folderPath = job.type === 'mail' ? (job.folder ?? 'Inbox') : undefined;
    const key = `${job.mailbox.toLowerCase()}\n${folderPath ?? ''}`;
    const target = targets.get(key) ?? { mailbox: job.mailbox, folder: folderPath, jobs: [], mail: false };
    target.jobs.push(job.name);
    target.mail ||= job.type === 'mail';
    targets.set(key, target);
  }
  return [...targets.values()];
}

/**
 * The "Test Connection" button, done properly: each step says ok / warn / fail and why, and a failure carries the
 * sentence telling what to fix. Steps that need a token are skipped when there is none.
 */
export async function runConnectionTest(
  connection: ConnectionConfig,
  jobs: readonly ConnectionJob[],
  options: { mailbox?: string; folder?: string },
  context: ConnectionTestContext,
): Promise<ConnectionTestReport> {
  const steps: TestStep[] = [];
  const tokenProvider = createTokenProvider(connection, context);
  let token: string | undefined;
  let authority = connection.authorityHost ?? connection.cloud ?? 'global';
  try {
    authority = resolveConnectionHosts(connection, context).authority;
    const started = Date.now();
    token = await tokenProvider.getToken();
    steps.push({ step: 'token', status: 'ok', reason: `token acquired from ${authority} in ${Date.now() - started} ms` });
  } catch (error) {
    steps.push(failed('token', error));
  }

  const targets = targetsOf(jobs, options.mailbox, options.folder);
  let granted: string[] = [];
  if (token === undefined) {
    steps.push({ step: 'roles', status: 'skip', reason: 'needs a token' });
  } else {
    const claims = readTokenRoles(token);
    const delegated = connection.delegated?.enabled === true;
    granted = delegated ? claims.scp : claims.roles;
    const needs = requiredRoles(jobs, { lookupPrincipalName: connection.lookupPrincipalName === true, notificationsOn: context.notificationsOn });
    const missing = missingRoles(needs, granted);
    if (granted.length === 0 && !delegated) {
      steps.push({
        step: 'roles', status: 'fail', code: 'AUTH_CONSENT_MISSING',
        reason: 'the token carries no application permissions: admin consent is missing',
        hint: `An administrator must open App registrations > API permissions for ${connection.clientId} and choose "Grant admin consent"${needs.length > 0 ? ` (needed: ${[...new Set(needs.map((n) => n.role))].join(', ')})` : ''}.`,
      });
    } else if (missing.length > 0) {
      const byRole = new Map<string, string[]>();
      for (const need of missing) byRole.set(need.role, [...(byRole.get(need.role) ?? []), need.jobType === 'connection' ? need.job : `job ${need.job} (${need.jobType})`]);
      const list = [...byRole].map(([role, users]) => `${role}, needed by ${users.join(', ')}`).join('; ');
      steps.push({
        step: 'roles', status: 'fail', code: 'GRAPH_ACCESS_DENIED',
        reason: `missing ${delegated ? 'delegated permission' : 'application permission'} ${list}`,
        hint: `Add ${[...byRole.keys()].join(', ')} as ${delegated ? 'delegated' : 'application'} permission${byRole.size === 1 ? '' : 's'} of Microsoft Graph under App registrations > API permissions, then grant admin consent.`,
      });
    } else {
      const needed = [...new Set(needs.map((n) => n.role))];
      steps.push({
        step: 'roles', status: 'ok',
        reason: `granted ${granted.join(', ') || 'none'}${needed.length > 0 ? `; covers ${needed.join(', ')}` : '; no enabled job uses this connection'}`,
      });
    }
  }

  if (targets.length === 0) {
    steps.push({ step: 'mailbox', status: 'skip', reason: 'no mailbox to test (give --mailbox, or enable a job with a mailbox)' });
  }
  let graph: GraphClient | undefined;
  for (const target of targets) {
    if (token === undefined) {
      steps.push({ step: 'mailbox', status: 'skip', reason: `${target.mailbox}: needs a token` });
      continue;
    }
    graph ??= createGraphClient(connection, { tokenProvider, logger: context.logger, baseDir: context.baseDir, maxAttempts: 3, timeoutMs: 15_000, ...context.graph });
    const user = userPath(target.mailbox);
    const usedBy = target.jobs.length > 0 ? ` (job ${target.jobs.join(', ')})` : '';
    const canRead = granted.some((r) => /^Mail\.(Read|ReadWrite|ReadBasic)/.test(r));
    if (!target.mail && !canRead) {
      // Mail.Send alone cannot be tried without sending a message.
      steps.push({ step: 'mailbox', status: 'skip', reason: `${target.mailbox}${usedBy}: only sends mail; Mail.Send is checked in the roles step` });
      continue;
    }
    // For a bare --mailbox with calendar permissions only, the calendar is what the connection can open.
    const calendarOnly = target.jobs.length === 0 && !canRead && granted.some((r) => r.startsWith('Calendars.'));
    try {
      await graph.get(calendarOnly ? `${user}/calendar?$select=id` : `${user}/mailFolders/inbox?$select=id`);
      steps.push({ step: 'mailbox', status: 'ok', reason: `${target.mailbox} reachable${usedBy}` });
    } catch (error) {
      steps.push(failed('mailbox', error, `${target.mailbox}${usedBy}: `));
      if (target.folder !== undefined) steps.push({ step: 'folder', status: 'skip', reason: `${target.mailbox} ${target.folder}: needs the mailbox` });
      continue;
    }
    if (target.folder === undefined) continue;
    try {
      const folder = await resolveMailFolder(graph, target.mailbox, target.folder);
      steps.push({ step: 'folder', status: 'ok', reason: `${target.mailbox} ${folder.path} resolves to ${folder.id}` });
    } catch (error) {
      steps.push(failed('folder', error));
    }
    if (context.postActionFolders) steps.push(...await checkPostActionFolders(graph, target.mailbox, jobs.filter((j) => target.jobs.includes(j.name)), context.postActionFolders));
  }

  steps.push(expiryStep(connection, context));
  return { connection: connection.name, ok: steps.every((s) => s.status !== 'fail'), steps };
}
