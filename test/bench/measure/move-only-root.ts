import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A project folder whose rules/default.json is ours without post-actions: a mail then costs its fetch and its move. */
export async function moveOnlyRoot(dir: string): Promise<string> {
  const ruleSet = JSON.parse(await readFile('rules/default.json', 'utf8')) as { $schema?: string; postActions?: unknown; rules: { postActions?: unknown }[]; senderPolicy?: { maxNewTicketsPerHour?: number } };
  delete ruleSet.postActions;
  // A corpus reuses its senders far more than 20 times an hour: the cap against mail loops would ignore most of it.
  delete ruleSet.senderPolicy?.maxNewTicketsPerHour;
  delete ruleSet.$schema;
  for (const rule of ruleSet.rules) delete rule.postActions;
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'rules', 'default.json'), JSON.stringify(ruleSet));
  return dir;
}
