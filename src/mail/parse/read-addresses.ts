import type { AddressObject, EmailAddress } from 'mailparser';
import type { Address } from './message.ts';

/** Flattens mailparser's address objects (groups included) into our Address list. */
export function readAddresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  if (value === undefined) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((object) => object.value.flatMap(toAddresses));
}

function toAddresses(entry: EmailAddress): Address[] {
  if (entry.group !== undefined) {
    const members = entry.group.flatMap(toAddresses);
    return members.length > 0 ? members : [{ address: '', name: entry.name }];
  }
  const address = (entry.address ?? '').trim().toLowerCase();
  return [{ address: looksLikeAddress(address) ? address : '', name: entry.name.trim() }];
}

function looksLikeAddress(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(text);
}

export function firstAddress(value: AddressObject | AddressObject[] | undefined): Address | null {
  return readAddresses(value)[0] ?? null;
}
