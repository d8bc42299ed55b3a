export { generateCorpus, type CorpusOptions } from './generate-corpus.ts';
export { createCorpusTally, describeCorpus, type CorpusStats } from './corpus-stats.ts';
export type { CorpusMail, MailKind } from './corpus-mail.ts';
