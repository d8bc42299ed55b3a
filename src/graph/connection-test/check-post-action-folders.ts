import { toAppError } from '../../core/index.ts';
import { resolveMailFolder } from '../resolve-mail-folder.ts';
import type { GraphClient } from '../graph-client-types.ts';
import type { ConnectionJob } from './required-roles.ts';
import type { TestStep } from './connection-test-step.ts';

/** The folders a job's post-actions and rules move mail to, with who names each; `problem` when the rules do not load. */
export type PostActionFolderLister = (job: ConnectionJob) => Promise<{ folders: Map<string, string[]>; problem: string | null }>;

/**
 * One step per folder a mail job moves mail to: a folder that is missing or was renamed would fail every mail the
 * rule or job sends there, so it is found here before the first run.
 */
export async function checkPostActionFolders(graph: GraphClient, mailbox: string, jobs: readonly ConnectionJob[], listFolders: PostActionFolderLister): Promise<TestStep[]> {
  const steps: TestStep[] = [];
  for (const job of jobs) {
    if (job.type !== 'mail' || job.mailbox?.toLowerCase() !== mailbox.toLowerCase()) continue;
    const { folders, problem } = await listFolders(job);
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
