import { GraphError } from '../http/graph-error.ts';
import { matchesFilter, parseFilter, type FilterNode } from '../http/odata-filter.ts';
import type { MessageRecord } from '../state/message-record.ts';

/**
 * Single-value extended properties of a message
 * (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get). Besides what a client set,
 * a message answers for a few MAPI properties Exchange computes: its size in bytes as a string, both as `Integer 0x0E08`
 * (PidTagMessageSize, 32-bit: https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/pidtagmessagesize-canonical-property)
 * and as `Long 0x0E08` (PidTagMessageSizeExtended, 64-bit), the two types MAPI defines for tag 0x0E08.
 */
export interface ExtendedPropertyValue {
  id: string;
  value: string;
}

/** Proptag ids name the same property whatever the case and leading zeros (`Long 0x0E08` = `Long 0xe08`). */
export function canonicalPropertyId(id: string): string {
  const tag = /^(\w+)\s+0x([0-9a-f]+)$/i.exec(id.trim());
  if (tag?.[1] === undefined || tag[2] === undefined) return id.trim();
  const type = tag[1].charAt(0).toUpperCase() + tag[1].slice(1).toLowerCase();
  return `${type} 0x${Number.parseInt(tag[2], 16).toString(16)}`;
}

/**
 * PidTagMessageClass (`String 0x001A`) as Exchange sets it on delivery: `IPM.Note.SMIME` for opaque-signed or
 * encrypted S/MIME, `IPM.Note.SMIME.MultipartSigned` for clear-signed, else `IPM.Note`
 * (https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/pidtagmessageclass-canonical-property).
 */
function messageClassOf(record: MessageRecord): string {
  const end = record.raw.indexOf('\r\n\r\n');
  const head = record.raw.subarray(0, end < 0 ? Math.min(record.raw.length, 16_384) : end).toString('latin1').replace(/\r\n[ \t]+/g, ' ');
  const type = /^content-type:\s*([^\r\n]*)/im.exec(head)?.[1]?.toLowerCase() ?? '';
  if (/^application\/(x-)?pkcs7-mime/.test(type)) return 'IPM.Note.SMIME';
  if (type.startsWith('multipart/signed') && /pkcs7-signature/.test(type)) return 'IPM.Note.SMIME.MultipartSigned';
  return 'IPM.Note';
}

function computedProperties(record: MessageRecord): ExtendedPropertyValue[] {
  // Exchange's figure is the store's size of the item; here the MIME's, which is what a client budgets with.
  const size = String(record.raw.length);
  return [{ id: 'Integer 0xe08', value: size }, { id: 'Long 0xe08', value: size }, { id: 'String 0x1a', value: messageClassOf(record) }];
}

export function allExtendedProperties(record: MessageRecord): ExtendedPropertyValue[] {
  return [...record.extendedProperties, ...computedProperties(record)];
}

/** Checks `singleValueExtendedProperties` of a create/update body. */
export function extendedPropertiesOf(value: unknown): ExtendedPropertyValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphError(400, 'RequestBodyRead', "Property 'singleValueExtendedProperties' must be a collection.");
  return value.map((entry: unknown) => {
    const property = entry as { id?: unknown; value?: unknown } | null;
    if (typeof property?.id !== 'string' || property.id.trim() === '') {
      throw new GraphError(400, 'ErrorInvalidExtendedPropertyValue', 'An extended property needs an id.');
    }
    return { id: property.id.trim(), value: String(property.value ?? '') };
  });
}

function canonicalLiterals(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? { kind: 'literal', value: canonicalPropertyId(node.value) } : node;
    case 'compare':
    case 'logical':
      return { ...node, left: canonicalLiterals(node.left), right: canonicalLiterals(node.right) };
    case 'not':
      return { ...node, operand: canonicalLiterals(node.operand) };
    default:
      return node;
  }
}

/**
 * `$expand=singleValueExtendedProperties($filter=id eq '…')`: never returned without it; with `$select` it is returned
 * as well (an expanded navigation property is not limited by `$select`).
 */
export function expandMessageProperties(expand: string | undefined, record: MessageRecord): ExtendedPropertyValue[] | undefined {
  if (expand === undefined) return undefined;
  const match = /singleValueExtendedProperties(?:\((.*)\))?/i.exec(expand);
  if (match === null) return undefined;
  const all = allExtendedProperties(record);
  const inner = match[1]?.trim();
  if (inner === undefined || inner === '') return all.map((p) => ({ ...p }));
  const filterText = /^\$?filter=(.*)$/is.exec(inner)?.[1];
  if (filterText === undefined) throw new GraphError(400, 'BadRequest', `Unsupported $expand option '${inner}'.`);
  const filter = canonicalLiterals(parseFilter(filterText));
  return all.filter((p) => matchesFilter(filter, { ...p, id: canonicalPropertyId(p.id) })).map((p) => ({ ...p }));
}
