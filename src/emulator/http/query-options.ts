import { GraphError } from './graph-error.ts';
import { parseFilter, type FilterNode } from './odata-filter.ts';

export interface QueryOptions {
  /** Lower-cased property names, or undefined when no `$select`. */
  select: Set<string> | undefined;
  top: number | undefined;
  skip: number;
  filter: FilterNode | undefined;
  filterText: string | undefined;
  orderBy: { property: string; descending: boolean } | undefined;
  expand: string | undefined;
}

/** OData system query options are accepted with or without `$` and in any case, as Graph v1.0 does. */
export function readOption(query: URLSearchParams, name: string): string | undefined {
  const bare = name.replace(/^\$/, '').toLowerCase();
  for (const [key, value] of query) {
    if (key.replace(/^\$/, '').toLowerCase() === bare) return value;
  }
  return undefined;
}

export function parseQueryOptions(query: URLSearchParams, maxTop = 1000): QueryOptions {
  const selectText = readOption(query, '$select');
  const topText = readOption(query, '$top');
  const skipText = readOption(query, '$skip');
  const filterText = readOption(query, '$filter');
  const orderText = readOption(query, '$orderby');
  let top: number | undefined;
  if (topText !== undefined) {
    top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > maxTop) {
      throw new GraphError(400, 'ErrorInvalidUrlQuery', `The value of $top must be between 1 and ${maxTop}.`);
    }
  }
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw new GraphError(400, 'ErrorInvalidUrlQuery', 'Invalid $skip value.');
  let orderBy: QueryOptions['orderBy'];
  if (orderText !== undefined && orderText.trim() !== '') {
    const [property = '', direction = 'asc'] = orderText.trim().split(/\s+/);
    orderBy = { property, descending: direction.toLowerCase() === 'desc' };
  }
  return {
    select: selectText === undefined ? undefined : new Set(selectText.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '')),
    top,
    skip,
    filter: filterText === undefined || filterText.trim() === '' ? undefined : parseFilter(filterText),
    filterText,
    orderBy,
    expand: readOption(query, '$expand'),
  };
}

export interface Preferences {
  immutableId: boolean;
  maxPageSize: number | undefined;
  bodyContentType: 'text' | 'html' | undefined;
  timeZone: string | undefined;
}

/** Parses (possibly several, comma-joined) `Prefer` headers. */
export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { immutableId: false, maxPageSize: undefined, bodyContentType: undefined, timeZone: undefined };
  if (header === undefined) return prefs;
  for (const part of header.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'idtype' && value.toLowerCase() === 'immutableid') prefs.immutableId = true;
    if (name === 'odata.maxpagesize' && /^\d+$/.test(value)) prefs.maxPageSize = Number(value);
    if (name === 'outlook.body-content-type' && (value.toLowerCase() === 'text' || value.toLowerCase() === 'html')) {
      prefs.bodyContentType = value.toLowerCase() as 'text' | 'html';
    }
    if (name === 'outlook.timezone' && value !== '') prefs.timeZone = value;
  }
  return prefs;
}

/** Applies `$select` to a full representation; `always` properties (id, @odata.*) survive. */
export function applySelect(entity: Record<string, unknown>, select: Set<string> | undefined): Record<string, unknown> {
  if (select === undefined) return entity;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key.startsWith('@odata.') || key === 'id' || select.has(key.toLowerCase())) out[key] = value;
  }
  return out;
}
