import { toAppError } from '../../core/index.ts';
import { resolveMailFolder, type GraphClient } from '../../graph/index.ts';
import { loadRuleSet } from '../../rules/index.ts';
import type { ConnectionJob } from './connection-required-roles.ts';
import type { TestStep } from './connection-test-step.ts';

/** Every folder a mail job's post-actions move mail to, with who names it: the job (moveTo, moveFailedTo) or a rule. */
async function postActionFolders(job: ConnectionJob, baseDir: string): Promise<{ folders: Map<string, string[]>; problem: string | null }> {
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

/**
 * One step per folder a mail job moves mail to: a folder that is missing or was renamed would fail every mail the
 * rule or job sends there, so it is found here before the first run.
 */
export async function checkPostActionFolders(graph: GraphClient, mailbox: string, jobs: readonly ConnectionJob[], baseDir: string): Promise<TestStep[]> {
  const steps: TestStep[] = [];
  for (const job of jobs) {
    if (job.type !== 'mail' || job.mailbox?.toLowerCase() !== mailbox.toLowerCase()) continue;
    const { folders, problem } = await postActionFolders(job, baseDir);
    if (problem) steps.push({ step: 'post-action-folder', status: 'warn', reason: `job ${job.name}: its rules could not be read for their moveTo folders: ${problem}`, hint: 'Run `mailroom rules validate`.' });
    for (const [path, by] of folders) {
      try {
        const folder = await resolveMailFolder(graph, mailbox, path);
        steps.push({ step: 'post-action-folder', status: 'ok', reason: `job ${job.name}: ${mailbox} ${folder.path} (${by.join(', ')}) exists` });
      } catch (error) {
        const e = toAppError(error);
        steps.push({ step: 'post-action-folder', status: 'fail', code: e.code, reason: `job ${job.name}: ${by.join(', ')} moves mail to "${path}": ${e.message}`, hint: e.hint ?? `Create the folder "${path}" in ${mailbox} or correct the path.` });
      }
    }
  }
  return steps;
}
