export { createMailHandler, type MailHandlerDeps } from './create-mail-handler.ts';
export { runMailJob, type MailJobDeps } from './run-mail-job.ts';
export { ledgerKey, legacyLedgerKey } from './ledger-key.ts';
export { createDeltaStateStore, type DeltaStateStore } from './delta-state.ts';
export { createMessageLedger, type LedgerEntry, type MessageLedger } from './message-ledger.ts';
export { listQuarantine, type QuarantinedMail } from './list-quarantine.ts';
export { replayQuarantined, type ReplayDeps, type ReplayResult } from './replay-quarantined.ts';
export { createQuarantineService, type QuarantineService, type QuarantineServiceDeps } from './create-quarantine-service.ts';
export { listPostActionFolders, type PostActionJob } from './list-post-action-folders.ts';
