export { createTicketStore, type TicketStore, type NewTicket, type NewComment, type NewObject, type TicketChange, type ListTicketsQuery } from './ticket-store.ts';
export { recordTicketEvent, listPendingTicketEvents, markTicketEventNotified } from './ticket-events.ts';
export { formatTicketToken, subjectWithToken } from './ticket-token.ts';
export type * from './ticket-types.ts';
export { createThreadIndex, type ThreadIndex, type ThreadEntry } from './thread-index.ts';
export { threadSnapshot, pickThread, normaliseMessageId, type ThreadSnapshot, type ThreadTarget } from './thread-snapshot.ts';
export { applyChangeSet } from './apply-change-set.ts';
export type { ChangeSet, PlannedChange, MailChange, AppliedChange } from './change-set.ts';
