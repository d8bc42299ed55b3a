import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { configInvalid, type ConfigProblem } from './config-problem.ts';
import type { ConnectionConfig } from './connection-config.ts';
import type { CalendarPublishJobConfig, CalendarReadJobConfig, JobConfig, MailJobConfig, NotificationsJobConfig, RoomSyncJobConfig } from './job-config.ts';
import { parseSchedule } from './check-schedule.ts';
import { checkConnectionSecrets } from './check-connection-secrets.ts';
import { withHttpDefaults, type HttpConfig } from './http-config.ts';
import { readJsonFile } from './read-json-file.ts';
import type { Environment } from './read-environment.ts';
import { validateWithSchema } from './schema-registry.ts';
import { withAlertsDefaults } from './alerts-job-defaults.ts';
import { checkBacklog } from './check-backlog.ts';

export interface MailroomConfig {
  /** The project folder holding schedules/ and rules/; relative paths in config resolve against it. */
  readonly root: string;
  readonly env: Environment;
  readonly connections: readonly ConnectionConfig[];
  readonly jobs: readonly JobConfig[];
  /** Rule set name → file path, for every rules/*.json that is a rule set. */
  readonly ruleSets: Readonly<Record<string, string>>;
  /** rules/notifications.json when present. */
  readonly notificationsFile: string | null;
  /** The HTTP server's settings (a schedule file's `http`), with defaults when no file has one (absent only in configs built by hand). */
  readonly http?: HttpConfig;
}

export interface LoadConfigOptions {
  root: string;
  env: Environment;
  /** Also resolve every secret reference (variable set, file readable, key and certificate parse). */
  checkSecrets?: boolean;
  /**
   * Also compile each rule file a mail job uses; its problems join the report. Passed in by the caller because
   * compiling belongs to src/rules, which sits above config (`path` is absolute, `file` is the name to report).
   */
  checkRuleFile?: (path: string, file: string) => Promise<ConfigProblem[]>;
}

async function listJson(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON pointers in document order: `/jobs/2` before `/jobs/10`, a field before what is inside it. */
function comparePointers(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] === y[i]) continue;
    const [m, n] = [Number(x[i]), Number(y[i])];
    return /^\d+$/.test(x[i]!) && /^\d+$/.test(y[i]!) ? m - n : x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** Each file's problems together, files in the order they were read (then any other source), a file's by field. */
function inFileOrder(problems: readonly ConfigProblem[], fileOrder: readonly string[]): ConfigProblem[] {
  const rank = (file: string): number => (fileOrder.includes(file) ? fileOrder.indexOf(file) : fileOrder.length);
  return problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.file) - rank(b.p.file) || comparePointers(a.p.pointer, b.p.pointer) || a.i - b.i).map(({ p }) => p);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function withMailDefaults(raw: Record<string, unknown>, file: string): MailJobConfig {
  const post = (raw.postActions ?? {}) as Partial<MailJobConfig['postActions']>;
  const limits = (raw.limits ?? {}) as Partial<MailJobConfig['limits']>;
  return {
    ...(raw as unknown as MailJobConfig),
    file,
    enabled: (raw.enabled as boolean | undefined) ?? true,
    schedule: (raw.schedule as string | undefined) ?? '5 minutes',
    folder: (raw.folder as string | undefined) ?? 'Inbox',
    rules: (raw.rules as string | undefined) ?? 'default',
    postActions: { markRead: post.markRead ?? true, flag: post.flag ?? false, categories: post.categories ?? [], ...post },
    limits: {
      messagesPerRun: limits.messagesPerRun ?? 1000, attachmentMaxBytes: limits.attachmentMaxBytes ?? 26_214_400, maxAttempts: limits.maxAttempts ?? 3,
      ...(limits.messageMaxBytes === undefined ? {} : { messageMaxBytes: limits.messageMaxBytes }),
    },
  };
}

function withNotificationsDefaults(raw: Record<string, unknown>, file: string): NotificationsJobConfig {
  return {
    ...(raw as unknown as NotificationsJobConfig),
    file,
    enabled: (raw.enabled as boolean | undefined) ?? true,
    schedule: (raw.schedule as string | undefined) ?? '1 minute',
  };
}

function withBaseDefaults(raw: Record<string, unknown>, file: string, schedule: string): Record<string, unknown> {
  return { ...raw, file, enabled: (raw.enabled as boolean | undefined) ?? true, schedule: (raw.schedule as string | undefined) ?? schedule };
}

function withCalendarPublishDefaults(raw: Record<string, unknown>, file: string): CalendarPublishJobConfig {
  const resources = raw.resources as { mailbox: string; active?: boolean }[] | undefined;
  return {
    ...(withBaseDefaults(raw, file, '15 minutes') as unknown as CalendarPublishJobConfig),
    timeZone: (raw.timeZone as string | undefined) ?? 'Europe/Berlin',
    daysBack: (raw.daysBack as number | undefined) ?? 365,
    lookupPrincipalName: (raw.lookupPrincipalName as boolean | undefined) ?? false,
    resources: resources === undefined ? null : resources.map((r) => ({ mailbox: r.mailbox, active: r.active ?? true })),
  };
}

function withCalendarReadDefaults(raw: Record<string, unknown>, file: string): CalendarReadJobConfig {
  return {
    ...(withBaseDefaults(raw, file, '15 minutes') as unknown as CalendarReadJobConfig),
    daysBack: (raw.daysBack as number | undefined) ?? 30,
    daysAhead: (raw.daysAhead as number | undefined) ?? 90,
    lookupPrincipalName: (raw.lookupPrincipalName as boolean | undefined) ?? false,
  };
}

function withRoomSyncDefaults(raw: Record<string, unknown>, file: string): RoomSyncJobConfig {
  return {
    ...(withBaseDefaults(raw, file, '10 minutes') as unknown as RoomSyncJobConfig),
    timeZone: (raw.timeZone as string | undefined) ?? 'Europe/Berlin',
    daysBack: (raw.daysBack as number | undefined) ?? 7,
    daysAhead: (raw.daysAhead as number | undefined) ?? 180,
  };
}

/** Defaults per job type (the schema already validated the type); mail is the fallback as before. */
const jobDefaults: Record<string, (raw: Record<string, unknown>, file: string) => JobConfig> = {
  mail: withMailDefaults,
  notifications: withNotificationsDefaults,
  'calendar-publish': withCalendarPublishDefaults,
  'calendar-read': withCalendarReadDefaults,
  'room-sync': withRoomSyncDefaults,
  alerts: withAlertsDefaults,
};

/**
 * Reads and validates every file in schedules/ and the list of rule sets in rules/, reporting all problems at once.
 * Rule expressions are compiled by src/rules, through `checkRuleFile` when given; `checkSecrets` resolves secrets.
 * Throws AppError CONFIG_INVALID listing file, JSON pointer and reason for each problem.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<MailroomConfig> {
  const problems: ConfigProblem[] = [];
  /** What the JSON Schemas found; the other checks' problems at the same fields are left out (said once). */
  const schemaProblems: ConfigProblem[] = [];
  const connections: ConnectionConfig[] = [];
  const jobs: JobConfig[] = [];
  const jobPointers = new Map<JobConfig, string>();
  const connectionFiles = new Map<string, string>();
  const connectionAt = new Map<ConnectionConfig, { file: string; pointer: string }>();
  const jobFiles = new Map<string, string>();
  let http: HttpConfig | undefined;
  /** A file whose `http` the schema refused: it is configured there, but not readable. */
  let httpFile: string | undefined;
  const display = (file: string): string => relative(options.root, file) || file;

  const fileOrder: string[] = [];
  for (const path of await listJson(join(options.root, 'schedules'))) {
    const file = display(path);
    fileOrder.push(file);
    const read = await readJsonFile(path);
    if (!read.ok) {
      problems.push({ ...read.problem, file });
      continue;
    }
    const found = validateWithSchema('schedule-file.schema.json', read.value, file);
    schemaProblems.push(...found);
    // A file that breaks the schema still gets the checks below wherever its shape allows them, so one run reports
    // every problem (a bad `backlog` no longer hides a bad `since`); a check never looks inside a part whose shape the
    // schema refused (`shaped`), and what the schema already said of a field is not said twice (see the end).
    const shaped = (pointer: string): boolean => !found.some((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`));
    if (!isRecord(read.value)) continue;
    const doc = read.value as { connections?: unknown; jobs?: unknown; http?: unknown };
    if (doc.http !== undefined) {
      if (http || httpFile) problems.push({ file, pointer: '/http', message: `the HTTP server is also configured in ${http?.file ?? httpFile ?? '?'} (keep one)` });
      else if (isRecord(doc.http) && shaped('/http')) http = withHttpDefaults(doc.http, file, options.env);
      else httpFile = file;
    }
    (Array.isArray(doc.connections) ? doc.connections : []).forEach((connection: unknown, index) => {
      if (!isRecord(connection) || typeof connection.name !== 'string') return;
      const seen = connectionFiles.get(connection.name);
      if (seen) problems.push({ file, pointer: `/connections/${index}/name`, message: `connection "${connection.name}" is also defined in ${seen}` });
      connectionFiles.set(connection.name, file);
      if (!shaped(`/connections/${index}`)) return;
      const config = connection as unknown as ConnectionConfig;
      connectionAt.set(config, { file, pointer: `/connections/${index}` });
      connections.push(config);
    });
    (Array.isArray(doc.jobs) ? doc.jobs : []).forEach((raw: unknown, index) => {
      if (!isRecord(raw)) return;
      if (typeof raw.name === 'string') {
        const seen = jobFiles.get(raw.name);
        if (seen) problems.push({ file, pointer: `/jobs/${index}/name`, message: `job "${raw.name}" is also defined in ${seen}` });
        jobFiles.set(raw.name, file);
      }
      if (raw.schedule === undefined || typeof raw.schedule === 'string') {
        const schedule = parseSchedule((raw.schedule as string | undefined) ?? '5 minutes');
        if ('error' in schedule) problems.push({ file, pointer: `/jobs/${index}/schedule`, message: schedule.error });
      }
      // Without a known type no field can be read as meant; the schema has said what is wrong with it.
      const withDefaults = typeof raw.type === 'string' ? jobDefaults[raw.type] : undefined;
      const wellShaped = shaped(`/jobs/${index}`);
      if (!withDefaults && !wellShaped) return;
      let job: JobConfig;
      try {
        job = (withDefaults ?? withMailDefaults)(raw, file);
      } catch (error) {
        // The defaults read a shape the schema promised; where it refused the shape, the job is reported already.
        if (wellShaped) throw error;
        return;
      }
      jobs.push(job);
      jobPointers.set(job, `/jobs/${index}`);
    });
  }

  const ruleSets: Record<string, string> = {};
  /** Rule files that parse as JSON: compiled even when the schema refused something (the compiler reads defensively). */
  const readable = new Set<string>();
  let notificationsFile: string | null = null;
  for (const path of await listJson(join(options.root, 'rules'))) {
    const name = basename(path, '.json');
    fileOrder.push(display(path));
    if (name === 'notifications') notificationsFile = path;
    else ruleSets[name] = path;
    const read = await readJsonFile(path);
    if (!read.ok) {
      problems.push({ ...read.problem, file: display(path) });
      continue;
    }
    schemaProblems.push(...validateWithSchema(name === 'notifications' ? 'notifications.schema.json' : 'rule-set.schema.json', read.value, display(path)));
    readable.add(path);
  }

  for (const job of jobs) {
    const pointer = jobPointers.get(job) ?? '';
    if (typeof job.connection === 'string' && !connectionFiles.has(job.connection)) {
      problems.push({ file: job.file, pointer: `${pointer}/connection`, message: `no connection named "${job.connection}" (known: ${[...connectionFiles.keys()].join(', ') || 'none'})` });
    }
    if (job.type === 'mail' && typeof job.rules === 'string' && !(job.rules in ruleSets)) {
      problems.push({ file: job.file, pointer: `${pointer}/rules`, message: `no rule set rules/${job.rules}.json` });
    }
    if (job.type === 'mail') problems.push(...checkBacklog(job, pointer));
  }

  const envPort = options.env.MAILROOM_HTTP_PORT;
  if (envPort !== undefined && envPort !== '' && (!/^\d{1,5}$/.test(envPort.trim()) || Number(envPort) > 65535)) {
    problems.push({ file: 'environment', pointer: '/MAILROOM_HTTP_PORT', message: `must be a port number 0-65535, not "${envPort ?? ''}"` });
  }
  if (http?.signIn && !connectionFiles.has(http.signIn.connection)) {
    problems.push({ file: http.file ?? '', pointer: '/http/signIn/connection', message: `no connection named "${http.signIn.connection}" (known: ${[...connectionFiles.keys()].join(', ') || 'none'})` });
  }
  if (options.checkSecrets) {
    for (const connection of connections) {
      problems.push(...checkConnectionSecrets(connection, { env: options.env, baseDir: options.root }, connectionAt.get(connection)!));
    }
  }
  if (options.checkRuleFile) {
    const used = new Set(jobs.flatMap((job) => (job.type === 'mail' && job.rules in ruleSets ? [ruleSets[job.rules]!] : [])));
    // A file whose JSON is broken is reported already; the compiler repeats the schema's problems, dropped below.
    for (const path of [...used].filter((p) => readable.has(p)).sort()) problems.push(...await options.checkRuleFile(path, display(path)));
  }

  const all = [...schemaProblems, ...problems.filter((p) => !schemaProblems.some((s) => s.file === p.file && (s.pointer === p.pointer || s.pointer.startsWith(`${p.pointer}/`))))];
  if (all.length > 0) throw configInvalid(inFileOrder(all, fileOrder));
  return deepFreeze({ root: options.root, env: options.env, connections, jobs, ruleSets, notificationsFile, http: http ?? withHttpDefaults(undefined, null, options.env) });
}
