import type { OperationContext } from './operation-context.ts';

const encode = (text: string): string => encodeURIComponent(text).replace(/%24/g, '$').replace(/%2C/gi, ',');

/**
 * An absolute `https://` link to the same resource carrying all of this request's query options, with some replaced
 * (the Graph JS SDK only follows absolute https links, graph-behaviour.md §1.3).
 */
export function linkWith(ctx: OperationContext, overrides: Record<string, string | undefined>, dropOthers: string[] = []): string {
  const bare = (key: string): string => key.replace(/^\$/, '').toLowerCase();
  const replaced = new Set(Object.keys(overrides).map(bare));
  const dropped = new Set(dropOthers.map(bare));
  const parts: string[] = [];
  for (const [key, value] of ctx.op.query) {
    if (replaced.has(bare(key)) || dropped.has(bare(key))) continue;
    parts.push(`${encode(key)}=${encode(value)}`);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) parts.push(`${encode(key)}=${encode(value)}`);
  }
  return parts.length === 0 ? ctx.requestUrl : `${ctx.requestUrl}?${parts.join('&')}`;
}

/** Slices a list the OData way ($skip/$top) and adds `@odata.nextLink` when more remains. */
export function pageOf<T>(ctx: OperationContext, items: T[], skip: number, top: number, render: (item: T) => unknown): Record<string, unknown> {
  const page = items.slice(skip, skip + top).map(render);
  const out: Record<string, unknown> = { value: page };
  if (skip + top < items.length) out['@odata.nextLink'] = linkWith(ctx, { $skip: String(skip + top) });
  return out;
}
