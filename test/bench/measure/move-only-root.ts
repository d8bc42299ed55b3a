import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A project folder whose rules/default.json is ours without post-actions: a mail then costs its fetch and its move. */
export async function moveOnlyRoot(dir: string): Promise<string> {
  const ruleSet = JSON.parse(await readFile('rules/default.json', 'utf8')) as { $schema?: string; postActions?: unknown; rules: { postActions?: unknown }[] };
  delete ruleSet.postActions;
  delete ruleSet.$schema;
  for (const rule of ruleSet.rules) delete rule.postActions;
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'rules', 'default.json'), JSON.stringify(ruleSet));
  return dir;
}
