export { createMailHandler, type MailHandlerDeps } from './create-mail-handler.ts';
export { runMailJob, type MailJobDeps } from './run-mail-job.ts';
export { ledgerKey, legacyLedgerKey } from './ledger-key.ts';
export { createDeltaStateStore, type DeltaStateStore } from './delta-state.ts';
export { createMessageLedger, type LedgerEntry, type MessageLedger } from './message-ledger.ts';
