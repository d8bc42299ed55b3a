export { createMailHandler, type MailHandlerDeps } from './create-mail-handler.ts';
export { runMailJob, type MailJobDeps } from './run-mail-job.ts';
export { ledgerKey } from './ledger-key.ts';
