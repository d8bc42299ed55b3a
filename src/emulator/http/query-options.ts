import { GraphError } from './graph-error.ts';
import { parseFilter, type FilterNode } from './odata-filter.ts';

export interface QueryOptions {
  /** Lower-cased property names, or undefined when no `$select`. */
  select: Set<string> | undefined;
  top: number | undefined;
  skip: number;
  filter: FilterNode | undefined;
  filterText: string | undefined;
  /** The first `$orderby` key (`property` may be a path such as `from/emailAddress/name`). */
  orderBy: { property: string; descending: boolean } | undefined;
  /** Every `$orderby` key, in order. */
  orderByKeys: { path: string[]; descending: boolean }[];
  expand: string | undefined;
  /** `$count=true`: the answer carries `@odata.count`. */
  count: boolean;
}

/** Navigation properties named by `$expand` (`childFolders`, `singleValueExtendedProperties($filter=…)`), lower-cased. */
export function expandedNames(expand: string | undefined): string[] {
  if (expand === undefined) return [];
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of expand) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else if (depth === 0 && c !== ')') {
      current += c;
    }
  }
  names.push(current);
  return names.map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
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
  // Several keys and nested paths: `$orderby=from/emailAddress/name desc,subject` (https://learn.microsoft.com/en-us/graph/query-parameters#orderby-parameter).
  const orderByKeys: QueryOptions['orderByKeys'] = [];
  for (const part of (orderText ?? '').split(',')) {
    const [property = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    if (property === '') continue;
    if (rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw new GraphError(400, 'BadRequest', `Invalid $orderby expression '${part.trim()}'.`);
    orderByKeys.push({ path: property.split('/'), descending: direction.toLowerCase() === 'desc' });
  }
  const first = orderByKeys[0];
  const orderBy: QueryOptions['orderBy'] = first === undefined ? undefined : { property: first.path.join('/'), descending: first.descending };
  const expand = readOption(query, '$expand');
  const countText = readOption(query, '$count');
  if (countText !== undefined && !/^(true|false)$/i.test(countText)) throw new GraphError(400, 'BadRequest', `Invalid value '${countText}' for $count.`);
  let select: Set<string> | undefined;
  if (selectText !== undefined) {
    // An expanded navigation property comes back whatever `$select` says (https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter).
    select = new Set([...selectText.split(','), ...expandedNames(expand)].map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
  }
  return {
    select,
    top,
    skip,
    filter: filterText === undefined || filterText.trim() === '' ? undefined : parseFilter(filterText),
    filterText,
    orderBy,
    orderByKeys,
    expand,
    count: countText?.toLowerCase() === 'true',
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
