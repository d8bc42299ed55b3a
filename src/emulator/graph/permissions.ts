/** Permission sets per operation kind (any one suffices), from each API page's permissions table. */
export const MAIL_READ = ['Mail.Read', 'Mail.ReadWrite'];
export const MAIL_WRITE = ['Mail.ReadWrite'];
export const MAIL_SEND = ['Mail.Send'];
export const CALENDAR_READ = ['Calendars.Read', 'Calendars.ReadWrite'];
export const CALENDAR_WRITE = ['Calendars.ReadWrite'];
export const USERS_READ = ['User.Read.All', 'User.ReadBasic.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
export const PLACES_READ = ['Place.Read.All', 'Place.ReadWrite.All'];
export const ANY_TOKEN: string[] = [];
