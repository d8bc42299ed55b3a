import { toAppError } from '../../core/index.ts';
import { loadRuleSet } from '../../rules/index.ts';

/** What a job says of its post-actions (the mail job's fields; other jobs have none). */
export interface PostActionJob {
  type: string;
  postActions?: { moveTo?: string; moveFailedTo?: string };
  rules?: unknown;
}

/** Every folder a mail job's post-actions move mail to, with who names it: the job (moveTo, moveFailedTo) or a rule. */
export async function listPostActionFolders(job: PostActionJob, baseDir: string): Promise<{ folders: Map<string, string[]>; problem: string | null }> {
  const folders = new Map<string, string[]>();
  const add = (folder: string | undefined, by: string): void => {
    if (folder) folders.set(folder, [...(folders.get(folder) ?? []), by]);
  };
  add(job.postActions?.moveTo, 'postActions.moveTo');
  add(job.postActions?.moveFailedTo, 'postActions.moveFailedTo');
  if (job.type !== 'mail' || typeof job.rules !== 'string') return { folders, problem: null };
  try {
    const ruleSet = await loadRuleSet(`rules/${job.rules}.json`, { cwd: baseDir });
    add(ruleSet.postActions.moveTo, `rules/${job.rules}.json postActions`);
    for (const rule of ruleSet.rules) add(rule.postActions.moveTo, `rule "${rule.name}"`);
    return { folders, problem: null };
  } catch (error) {
    return { folders, problem: toAppError(error).message };
  }
}
