import { userPath } from '../user-path.ts';
import { immutableIdPreference } from './message-requests.ts';

/**
 * PidTagMessageSize, the message's size in bytes. Graph's message has no size property in v1.0, but a single-value
 * extended property can be expanded on any message read, delta included:
 * https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/pidtagmessagesize-canonical-property,
 * https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
 */
export const messageSizeProperty = 'Integer 0x0E08';

/** The `$expand` that makes each delta item carry its size. */
export const messageSizeExpand = `singleValueExtendedProperties($filter=id eq '${messageSizeProperty}')`;

/** A message's size from an expanded PidTagMessageSize; undefined when it was not asked for or is missing or unreadable. */
export function readMessageSize(item: { singleValueExtendedProperties?: readonly { id?: string; value?: string }[] | null }): number | undefined {
  // Graph answers with its own spelling of the id ("Integer 0xe08"): compare type and tag, not the text.
  const property = item.singleValueExtendedProperties?.find((p) => /^integer\s+0x0*e08$/i.test(p.id?.trim() ?? ''));
  const size = Number(property?.value);
  return property !== undefined && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

/**
 * The first request of a delta round over one mail folder, with the headers every page of the round needs (Graph
 * keeps the query options in the links it returns, not the headers). https://learn.microsoft.com/graph/api/message-delta
 * `expand` is passed as it is (delta supports `$expand`), e.g. `messageSizeExpand`.
 */
export function messageDeltaRequest(options: { mailbox: string; folderId: string; select: readonly string[]; pageSize: number; expand?: string }): { url: string; headers: Record<string, string> } {
  const expand = options.expand ? `&$expand=${encodeURIComponent(options.expand)}` : '';
  return {
    url: `${userPath(options.mailbox)}/mailFolders/${encodeURIComponent(options.folderId)}/messages/delta?$select=${options.select.join(',')}${expand}`,
    headers: { Prefer: `odata.maxpagesize=${options.pageSize}, ${immutableIdPreference}` },
  };
}
