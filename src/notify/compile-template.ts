import { Liquid, type Template } from 'liquidjs';
import { subjectWithToken } from '../tickets/index.ts';
import type { TemplateSpec } from './notification-types.ts';

/**
 * Liquid (liquidjs 10): logic-less enough that a template can't run code or reach the file system (no `fs`, an
 * empty in-memory `templates` map so include/render/layout find nothing), with render time and memory limits.
 * The HTML engine escapes every output unless the template says `| raw`; subject and text are not escaped.
 */
function createEngine(html: boolean, timeZone: string): Liquid {
  return new Liquid({
    templates: {},
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: timeZone,
    renderLimit: 1000,
    memoryLimit: 10_000_000,
    parseLimit: 1_000_000,
    ...(html ? { outputEscape: 'escape' as const } : {}),
  });
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export interface CompiledTemplate {
  render(scope: Record<string, unknown>, ticketNumber: number): Promise<RenderedMessage>;
}

export interface TemplateEngines {
  plain: Liquid;
  html: Liquid;
}

export function createTemplateEngines(timeZone: string): TemplateEngines {
  return { plain: createEngine(false, timeZone), html: createEngine(true, timeZone) };
}

/** Parses the three parts once; throws liquidjs' error (with line and column) for the loader to report. */
export function compileTemplate(spec: TemplateSpec, engines: TemplateEngines): CompiledTemplate {
  const subject: Template[] = engines.plain.parse(spec.subject);
  const html: Template[] = engines.html.parse(spec.html);
  const text: Template[] = engines.plain.parse(spec.text);
  return {
    async render(scope, ticketNumber) {
      const renderedSubject = String(await engines.plain.render(subject, scope)).replace(/\s+/g, ' ').trim();
      return {
        // Everything we send carries the token so a reply threads back into the ticket.
        subject: subjectWithToken(renderedSubject, ticketNumber),
        html: String(await engines.html.render(html, scope)),
        text: String(await engines.plain.render(text, scope)),
      };
    },
  };
}

/** Renders a one-off plain template such as ticketUrlTemplate. */
export function compilePlain(source: string, engines: TemplateEngines): (scope: Record<string, unknown>) => Promise<string> {
  const parsed = engines.plain.parse(source);
  return async (scope) => String(await engines.plain.render(parsed, scope)).trim();
}
