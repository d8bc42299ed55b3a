import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../core/index.ts';
import { CalendarSet } from '../calendar/calendar-store.ts';
import { newEventFrom, parseEventInput } from '../calendar/event-input.ts';
import type { ApplicationDefinition, CalendarDefinition, EventDefinition, RoomDefinition, RoomListDefinition, TenantDefinition, UserDefinition } from '../tenant-definition.ts';
import { stableId } from './ids.ts';
import { Mailbox } from './mailbox.ts';
import { createMessageRecord } from './message-record.ts';

export interface RegisteredCertificate {
  x5t: string;
  x5tS256: string;
  publicKey: KeyObject;
  notAfter: Date;
}

export interface AppRecord {
  def: ApplicationDefinition;
  certificates: RegisteredCertificate[];
  servicePrincipalId: string;
}

export interface DirectoryObject {
  id: string;
  upn: string;
  kind: 'user' | 'room';
  user: UserDefinition | undefined;
  room: RoomDefinition | undefined;
  mailbox: Mailbox | undefined;
  /** Present exactly when there is a mailbox. */
  calendars: CalendarSet | undefined;
}

/** The live tenant: directory, applications and mailboxes, built from a tenant definition. */
export class TenantState {
  readonly definition: TenantDefinition;
  readonly apps = new Map<string, AppRecord>();
  readonly directory: DirectoryObject[] = [];
  readonly #byKey = new Map<string, DirectoryObject>();
  readonly roomLists: RoomListDefinition[];

  private constructor(definition: TenantDefinition) {
    this.definition = definition;
    this.roomLists = definition.roomLists ?? [];
  }

  static async build(definition: TenantDefinition, baseDir: string): Promise<TenantState> {
    const state = new TenantState(definition);
    for (const app of definition.applications) {
      const certificates: RegisteredCertificate[] = [];
      for (const cert of app.certificates ?? []) {
        const pem = cert.pem ?? (await readFile(path.resolve(baseDir, cert.file ?? ''), 'utf8'));
        certificates.push(describeCertificate(pem));
      }
      state.apps.set(app.clientId.toLowerCase(), { def: app, certificates, servicePrincipalId: stableId('', 'sp', app.clientId).slice(0, 36) });
    }
    const seeding: Promise<void>[] = [];
    for (const user of definition.users) {
      const mailbox = user.mailbox === false ? undefined : new Mailbox(user.id, user.userPrincipalName, user.preferredLanguage, user.mailbox?.delegates);
      const calendars = mailbox === undefined ? undefined : buildCalendars(user.id, user.calendars ?? [], user.preferredLanguage);
      state.#add({ id: user.id, upn: user.userPrincipalName.toLowerCase(), kind: 'user', user, room: undefined, mailbox, calendars });
      if (mailbox === undefined || user.mailbox === false) continue;
      for (const folder of user.mailbox?.folders ?? []) {
        const target = mailbox.ensureFolderPath(folder.path, folder.hidden === true);
        if (folder.seed !== undefined) seeding.push(seedFolder(mailbox, target.id, path.resolve(baseDir, folder.seed)));
      }
    }
    for (const room of definition.rooms ?? []) {
      const mailbox = new Mailbox(room.id, room.emailAddress, undefined);
      const calendars = buildCalendars(room.id, room.calendars ?? [], undefined);
      state.#add({ id: room.id, upn: room.emailAddress.toLowerCase(), kind: 'room', user: undefined, room, mailbox, calendars });
    }
    await Promise.all(seeding);
    return state;
  }

  #add(object: DirectoryObject): void {
    this.directory.push(object);
    this.#byKey.set(object.id.toLowerCase(), object);
    this.#byKey.set(object.upn, object);
    const mail = object.user?.mail;
    if (mail !== undefined) this.#byKey.set(mail.toLowerCase(), object);
  }

  /** By object id, UPN or primary SMTP address (case-insensitive). */
  find(key: string): DirectoryObject | undefined {
    return this.#byKey.get(key.toLowerCase());
  }

  domainOf(): string {
    return this.definition.domains[0] ?? 'contoso.example';
  }

  /** Tenant named by GUID or by a verified domain, as the v2.0 endpoint accepts. */
  matchesTenant(segment: string): boolean {
    const lower = segment.toLowerCase();
    return lower === this.definition.tenantId.toLowerCase() || this.definition.domains.some((d) => d.toLowerCase() === lower);
  }
}

export function describeCertificate(pem: string): RegisteredCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', 'A registered application certificate is not a valid PEM certificate.', { cause: error });
  }
  return {
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    publicKey: cert.publicKey,
    notAfter: new Date(cert.validTo),
  };
}

async function seedFolder(mailbox: Mailbox, folderId: string, dir: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.eml')).sort();
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `Seed folder ${dir} cannot be read.`, { cause: error, details: { dir } });
  }
  const records = await Promise.all(
    names.map(async (name) =>
      createMessageRecord({ raw: await readFile(path.join(dir, name)), folderId, receivedAt: new Date(), receivedFromDateHeader: true, domain: mailbox.domain }),
    ),
  );
  const folder = mailbox.folders.get(folderId);
  if (folder === undefined) return;
  for (const record of records.sort((a, b) => a.receivedDateTime.localeCompare(b.receivedDateTime))) mailbox.addMessage(folder, record);
}

function eventBody(definition: EventDefinition): Record<string, unknown> {
  return {
    subject: definition.subject,
    start: definition.start,
    end: definition.end,
    ...(definition.body === undefined ? {} : { body: definition.body }),
    ...(definition.location === undefined ? {} : { location: { displayName: definition.location } }),
    ...(definition.isAllDay === undefined ? {} : { isAllDay: definition.isAllDay }),
    ...(definition.showAs === undefined ? {} : { showAs: definition.showAs }),
    ...(definition.recurrence === undefined ? {} : { recurrence: definition.recurrence }),
    ...(definition.singleValueExtendedProperties === undefined ? {} : { singleValueExtendedProperties: definition.singleValueExtendedProperties }),
    ...(definition.attendees === undefined
      ? {}
      : { attendees: definition.attendees.map((a) => ({ type: a.type ?? 'required', emailAddress: { address: a.address, name: a.name ?? a.address } })) }),
  };
}

function buildCalendars(ownerId: string, definitions: CalendarDefinition[], language: string | undefined): CalendarSet {
  const set = new CalendarSet(ownerId);
  const hasDefault = definitions.some((d) => d.isDefault === true);
  if (!hasDefault) set.addCalendar(language?.toLowerCase().startsWith('de') === true ? 'Kalender' : 'Calendar', true);
  for (const definition of definitions) {
    const calendar = set.addCalendar(definition.name, definition.isDefault === true);
    for (const event of definition.events ?? []) {
      try {
        set.addEvent(calendar, newEventFrom(parseEventInput(eventBody(event))));
      } catch (error) {
        throw new AppError('CONFIG_INVALID', `Event "${event.subject}" in calendar "${definition.name}" is invalid: ${(error as Error).message}`, { cause: error });
      }
    }
  }
  return set;
}
