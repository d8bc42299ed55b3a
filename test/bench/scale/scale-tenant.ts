import type { TenantDefinition } from '../../../src/emulator/index.ts';
import { testTenant } from '../../helpers/mail-world.ts';

export const scaleMailbox = (i: number): string => `agent${i}@contoso.example`;

/** The test tenant with `count` more mailboxes, each with the folders a mail job reads and moves to. */
export function scaleTenant(count: number): TenantDefinition {
  const base = testTenant();
  const folders = [{ path: 'Inbox/Support' }, { path: 'Inbox/Processed' }, { path: 'Inbox/Failed' }];
  const users = Array.from({ length: count }, (_, i) => ({
    id: `5a1e0c55-0000-4000-8000-${(0x100000 + i).toString(16).padStart(12, '0')}`,
    userPrincipalName: scaleMailbox(i), mail: scaleMailbox(i), displayName: `Agent ${i}`, mailbox: { folders },
  }));
  return { ...base, users: [...base.users, ...users] };
}
