export { createTicketStore, type TicketStore, type NewTicket, type NewComment, type NewObject, type TicketChange, type ListTicketsQuery } from './ticket-store.ts';
export { recordTicketEvent, listPendingTicketEvents, markTicketEventNotified } from './ticket-events.ts';
export { formatTicketToken, subjectWithToken } from './ticket-token.ts';
export type * from './ticket-types.ts';
export { searchTickets, type TicketSearch, type TicketPage } from './search-tickets.ts';
export { openStoredFile, type StoredFileDownload } from './open-stored-file.ts';
export { findObject, listObjectsPage } from './find-object.ts';
