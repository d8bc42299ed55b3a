/**
 * The shape of a tenant file (`fixtures/tenants/*.json`), validated by `tenant.schema.json`.
 * Paths inside a tenant file (seed folders, certificate files) are relative to the file itself.
 */
export interface TenantDefinition {
  tenantId: string;
  displayName: string;
  /** Verified domains; the first is the default one. Token requests may name the tenant by GUID or by one of these. */
  domains: string[];
  applications: ApplicationDefinition[];
  users: UserDefinition[];
  rooms?: RoomDefinition[];
  roomLists?: RoomListDefinition[];
}

export interface SecretDefinition {
  /** The secret's key id (what the portal shows as "Secret ID"); sending it instead of the value is a classic mistake. */
  id: string;
  value: string;
  /** ISO 8601 date-time. */
  expires: string;
  displayName?: string;
}

export interface CertificateDefinition {
  /** PEM of the X.509 certificate (public part only), or `file` relative to the tenant file. */
  pem?: string;
  file?: string;
  displayName?: string;
}

export interface ApplicationDefinition {
  clientId: string;
  displayName: string;
  secrets?: SecretDefinition[];
  certificates?: CertificateDefinition[];
  /** Application permissions (app roles on Microsoft Graph), e.g. "Mail.ReadWrite". */
  applicationPermissions?: string[];
  /** Delegated permissions (scopes), e.g. "Mail.ReadWrite". */
  delegatedPermissions?: string[];
  /** Whether an administrator granted the permissions above. Without it app-only tokens carry no `roles`. */
  adminConsent: boolean;
  /** Device-code sign-in needs "Allow public client flows". */
  allowPublicClient?: boolean;
  /** An application access policy: app-only access limited to these mailboxes (UPNs). Absent = all mailboxes. */
  mailboxAccess?: { restrictTo: string[] };
}

export interface FolderDefinition {
  /** Path below the mailbox root, first segment a well-known name or a top-level folder, e.g. "Inbox/Support". */
  path: string;
  /** Folder of `.eml` files (relative to the tenant file) delivered into this folder at start, in file-name order. */
  seed?: string;
  hidden?: boolean;
}

export interface DateTimeTimeZoneDefinition {
  dateTime: string;
  timeZone: string;
}

export interface EventDefinition {
  subject: string;
  start: DateTimeTimeZoneDefinition;
  end: DateTimeTimeZoneDefinition;
  body?: { contentType: 'text' | 'html'; content: string };
  location?: string;
  isAllDay?: boolean;
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  attendees?: { address: string; name?: string; type?: 'required' | 'optional' | 'resource' }[];
  /** Graph's patternedRecurrence, as JSON. */
  recurrence?: Record<string, unknown>;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

export interface CalendarDefinition {
  name: string;
  /** The user's default calendar ("Calendar"); exactly one per user, created if none is marked. */
  isDefault?: boolean;
  events?: EventDefinition[];
}

export interface UserDefinition {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  officeLocation?: string;
  preferredLanguage?: string;
  /** App roles (their values, e.g. "Mailroom.Admin") assigned to the user; ID tokens from the authorize flow carry them as `roles`. */
  appRoles?: string[];
  /** `false` = the user has no Exchange mailbox (Outlook paths answer MailboxNotEnabledForRESTAPI). */
  mailbox?: false | MailboxDefinition;
  calendars?: CalendarDefinition[];
}

export interface MailboxDefinition {
  folders?: FolderDefinition[];
  /** Users (UPNs) with full access to this mailbox through delegated tokens. */
  delegates?: string[];
}

export interface RoomDefinition {
  id: string;
  emailAddress: string;
  displayName: string;
  capacity?: number;
  building?: string;
  floorNumber?: number;
  floorLabel?: string;
  bookingType?: 'standard' | 'reserved' | 'unknown';
  nickname?: string;
  tags?: string[];
  isWheelChairAccessible?: boolean;
  calendars?: CalendarDefinition[];
}

export interface RoomListDefinition {
  id: string;
  emailAddress: string;
  displayName: string;
  rooms: string[];
}
