import type { DeltaState, DeltaStateStore } from './delta-state.ts';
import type { MailRun } from './mail-run.ts';

/**
 * How long a folder id remembered in the delta state is trusted before the job's path is looked up again. Within it an
 * empty poll is one delta request; after it, a folder renamed away and replaced by a new one under the same path is
 * noticed (the delta link of the old id would go on reading the renamed folder).
 */
export const folderRecheckMs = 60 * 60 * 1000;

/** The id of the job's folder: remembered by the last run's delta position, or resolved from its path now. */
export interface SourceFolder {
  id: string;
  /** When the path was resolved in this run (saved with the position); null when the id was remembered. */
  checkedAt: Date | null;
  /** The saved position this id was found with, when it is the position of this very folder: no second read. */
  saved?: DeltaState;
}

export async function sourceFolder(run: MailRun, states: DeltaStateStore): Promise<SourceFolder> {
  const now = run.clock();
  const saved = await states.findByFolderPath(run.job.name, run.job.folder);
  if (saved?.folderCheckedAt && now.getTime() - saved.folderCheckedAt.getTime() < folderRecheckMs) return { id: saved.folderId, checkedAt: null, saved };
  const resolved = await resolveSourceFolder(run);
  return saved?.folderId === resolved.id ? { ...resolved, saved } : resolved;
}

/** Looks the job's folder path up in the mailbox (once per run: the run's folder cache keeps it). */
export async function resolveSourceFolder(run: MailRun): Promise<SourceFolder> {
  return { id: await run.folderId(run.job.folder), checkedAt: run.clock() };
}
