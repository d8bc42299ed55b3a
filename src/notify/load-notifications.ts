import type { JsonataExpression as Expression } from '../rules/index.ts';
import { parseDuration } from '../core/index.ts';
import { configInvalid, type ConfigProblem } from '../config/config-problem.ts';
import { readJsonFile } from '../config/read-json-file.ts';
import { validateWithSchema } from '../config/schema-registry.ts';
import { compilePlain, compileTemplate, createTemplateEngines, type CompiledTemplate } from './compile-template.ts';
import { compileJsonata } from './evaluate-bounded.ts';
import type { NotificationLimits, NotificationsFile, NotificationTrigger, RecipientSpec, TemplateSpec } from './notification-types.ts';

export type CompiledRecipient =
  | { kind: 'requester' | 'assignee' | 'group' }
  | { kind: 'address'; address: string; name: string | null }
  | { kind: 'named-group'; group: string }
  | { kind: 'expression'; expression: Expression; pointer: string };

export interface CompiledNotificationRule {
  name: string;
  trigger: NotificationTrigger;
  leadTimeMs: number | null;
  condition: { expression: Expression; pointer: string } | null;
  recipients: CompiledRecipient[];
  template: CompiledTemplate;
}

export interface CompiledNotifications {
  file: string;
  rules: CompiledNotificationRule[];
  groups: Readonly<Record<string, readonly string[]>>;
  limits: NotificationLimits & { retryBaseDelayMs: number };
  renderLink(scope: Record<string, unknown>): Promise<string>;
}

export const defaultLimits: NotificationLimits = { perRecipientPerHour: 20, maxAttempts: 5, retryBaseDelay: '1 minute', eventsPerRun: 500, sendsPerRun: 100, hardBouncesToSuppress: 3 };

function describeLiquidError(error: unknown): string {
  return ((error as { message?: string }).message ?? String(error)).split('\n')[0] ?? 'template error';
}

/**
 * Schema-checks and compiles a notifications document (JSONata and Liquid parsed once), reporting every problem at
 * once. The schema is also checked by loadConfig; compiling is ours, as compiling rule sets belongs to src/rules.
 */
export function compileNotifications(document: unknown, file: string): { ok: true; compiled: CompiledNotifications } | { ok: false; problems: ConfigProblem[] } {
  const problems = validateWithSchema('notifications.schema.json', document, file);
  if (problems.length > 0) return { ok: false, problems };
  const spec = document as NotificationsFile;
  const engines = createTemplateEngines(spec.timeZone ?? 'UTC');
  const problem = (pointer: string, message: string): void => void problems.push({ file, pointer, message });

  const templates = new Map<string, CompiledTemplate>();
  const compileAt = (template: TemplateSpec, pointer: string): CompiledTemplate | null => {
    try {
      return compileTemplate(template, engines);
    } catch (error) {
      problem(pointer, `template: ${describeLiquidError(error)}`);
      return null;
    }
  };
  for (const [name, template] of Object.entries(spec.templates ?? {})) {
    const compiled = compileAt(template, `/templates/${name}`);
    if (compiled) templates.set(name, compiled);
  }

  const jsonataAt = (source: string, pointer: string): Expression | null => {
    const compiled = compileJsonata(source);
    if (compiled.ok) return compiled.expression;
    problem(pointer, `JSONata: ${compiled.message}`);
    return null;
  };

  const names = new Set<string>();
  const rules: CompiledNotificationRule[] = [];
  spec.rules.forEach((rule, index) => {
    const at = `/rules/${index}`;
    if (names.has(rule.name)) problem(`${at}/name`, `rule name "${rule.name}" is used twice`);
    names.add(rule.name);
    if (rule.leadTime !== undefined && rule.trigger !== 'due-approaching') problem(`${at}/leadTime`, 'leadTime applies only to the trigger due-approaching');
    const condition = rule.condition === undefined ? null : jsonataAt(rule.condition, `${at}/condition`);
    const recipients = rule.recipients.map((recipient: RecipientSpec, r): CompiledRecipient | null => {
      const pointer = `${at}/recipients/${r}`;
      if (typeof recipient === 'string') return { kind: recipient };
      if ('address' in recipient) return { kind: 'address', address: recipient.address.toLowerCase(), name: recipient.name ?? null };
      if ('group' in recipient) {
        if (!(recipient.group in (spec.groups ?? {}))) problem(`${pointer}/group`, `no group "${recipient.group}" in groups`);
        return { kind: 'named-group', group: recipient.group };
      }
      const expression = jsonataAt(recipient.expression, `${pointer}/expression`);
      return expression ? { kind: 'expression', expression, pointer } : null;
    });
    let template: CompiledTemplate | null | undefined;
    if (typeof rule.template === 'string') {
      template = templates.get(rule.template);
      if (!template && !(rule.template in (spec.templates ?? {}))) problem(`${at}/template`, `no template "${rule.template}" in templates (known: ${Object.keys(spec.templates ?? {}).join(', ') || 'none'})`);
    } else {
      template = compileAt(rule.template, `${at}/template`);
    }
    if (rule.enabled === false || !template || recipients.some((r) => r === null) || (rule.condition !== undefined && !condition)) return;
    rules.push({
      name: rule.name,
      trigger: rule.trigger,
      leadTimeMs: rule.leadTime === undefined ? null : parseDuration(rule.leadTime),
      condition: condition ? { expression: condition, pointer: `${at}/condition` } : null,
      recipients: recipients as CompiledRecipient[],
      template,
    });
  });

  let renderLink: (scope: Record<string, unknown>) => Promise<string> = async () => '';
  if (typeof spec.ticketUrlTemplate === 'string') {
    try {
      renderLink = compilePlain(spec.ticketUrlTemplate, engines);
    } catch (error) {
      problem('/ticketUrlTemplate', `template: ${describeLiquidError(error)}`);
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  const limits = { ...defaultLimits, ...spec.limits };
  return {
    ok: true,
    compiled: {
      file,
      rules,
      groups: Object.fromEntries(Object.entries(spec.groups ?? {}).map(([name, members]) => [name, members.map((m) => m.toLowerCase())])),
      limits: { ...limits, retryBaseDelayMs: parseDuration(limits.retryBaseDelay) },
      renderLink,
    },
  };
}

/** Reads rules/notifications.json; no file means no rules (the outbox is still drained). Throws CONFIG_INVALID. */
export async function loadNotifications(file: string | null): Promise<CompiledNotifications> {
  if (file === null) {
    const empty = compileNotifications({ rules: [] }, '(none)');
    if (!empty.ok) throw configInvalid(empty.problems);
    return empty.compiled;
  }
  const read = await readJsonFile(file);
  if (!read.ok) throw configInvalid([{ ...read.problem, file }]);
  const result = compileNotifications(read.value, file);
  if (!result.ok) throw configInvalid(result.problems);
  return result.compiled;
}
