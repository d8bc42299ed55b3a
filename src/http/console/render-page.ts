import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';

const templatesDir = fileURLToPath(new URL('./templates/', import.meta.url));

/**
 * The console's pages: Liquid templates from this folder, every output HTML-escaped unless a template says `| raw`
 * (none does), strict about unknown filters and variables so a typo fails a test instead of rendering blank.
 */
const engine = new Liquid({
  root: templatesDir,
  extname: '.liquid',
  outputEscape: 'escape',
  strictFilters: true,
  ownPropertyOnly: true,
  cache: true,
});

/** A date as the page shows it: ISO in the markup (the script turns it into the viewer's time zone), UTC as fallback. */
engine.registerFilter('when', (value: unknown) => {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString();
});
engine.registerFilter('whenText', (value: unknown) => {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
});
engine.registerFilter('countsText', (counts: unknown) => {
  const entries = Object.entries((counts ?? {}) as Record<string, number>).filter(([k]) => k !== 'seen');
  return entries.map(([k, v]) => `${k} ${v}`).join(', ');
});
engine.registerFilter('uri', (value: unknown) => encodeURIComponent(String(value ?? '')));

export interface PageFrame {
  title: string;
  /** Which nav entry is current. */
  section: 'overview' | 'tickets' | 'notifications' | 'connections';
  user: { name: string; displayName?: string; role?: string } | null;
  csrfToken: string;
  /** Alerts shown as a banner on every page. */
  alerts?: readonly { title: string; detail?: string }[];
  flash?: { kind: 'ok' | 'error'; text: string } | null;
}

export async function renderPage(template: string, frame: PageFrame, data: Record<string, unknown>): Promise<string> {
  return engine.renderFile(template, { ...data, page: frame });
}
