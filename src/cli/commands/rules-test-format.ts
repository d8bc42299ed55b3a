import type { PreprocessTrace } from '../../mail/preprocess/index.ts';
import { formatSenderDescription, type PostActions } from '../../rules/index.ts';
import { diffLines } from './rules-line-diff.ts';
import type { DryRunResult, RulesTestOptions } from './rules-test-types.ts';

const maxLines = 15;
const maxDiffInput = 1500;

function more(count: number, prefix: string): string {
  return `${prefix}… ${count} more line${count === 1 ? '' : 's'} (--json shows all)`;
}

function indent(text: string, prefix: string): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `${prefix}${l}`);
  if (lines.length > maxLines) shown.push(more(lines.length - maxLines, prefix));
  return `${shown.join('\n')}\n`;
}

/** What one step changed, as removed (-) and added (+) lines; before/after in full are in --json. */
function describeStep(step: PreprocessTrace, prefix: string): string {
  if (step.before.split('\n').length > maxDiffInput || step.after.split('\n').length > maxDiffInput) {
    return `${prefix}before:\n${indent(step.before, `${prefix}| `)}${prefix}after:\n${indent(step.after, `${prefix}| `)}`;
  }
  const changes = diffLines(step.before, step.after).filter((l) => l.kind !== ' ');
  if (changes.every((l) => l.text.trim() === '')) return `${prefix}(whitespace only)\n`;
  const shown = changes.slice(0, maxLines).map((l) => `${prefix}${l.kind} ${l.text}`);
  if (changes.length > maxLines) shown.push(more(changes.length - maxLines, prefix));
  return `${shown.join('\n')}\n`;
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value) : JSON.stringify(value);
  return text === undefined ? '(nothing)' : text;
}

function describePostActions(p: PostActions): string {
  const parts: string[] = [];
  if (p.markRead !== undefined) parts.push(p.markRead ? 'mark read' : 'keep unread');
  if (p.flag !== undefined) parts.push(p.flag ? 'flag' : 'clear flag');
  if (p.moveTo !== undefined) parts.push(`move to ${p.moveTo}`);
  if (p.categories?.length) parts.push(`categories ${p.categories.join(', ')}`);
  return parts.length === 0 ? 'none' : parts.join('; ');
}

/** The readable form of one dry run, for people; `--json` gives the same facts in full. */
export function formatDryRun(r: DryRunResult, rulesFile: string, options: RulesTestOptions): string {
  let out = `\n== ${r.file}\n   from ${r.from ?? '(unknown)'}, subject ${JSON.stringify(r.subject)}\n`;
  out += `-- preprocess (${options.preprocess === 'all' ? 'all built-in steps' : rulesFile})\n`;
  if (r.preprocess.length === 0) out += '   no steps\n';
  else out += `   original text:\n${indent(r.preprocess[0]?.before ?? '', '   | ')}`;
  r.preprocess.forEach((step, i) => {
    out += `   ${i + 1}. ${step.step}: ${step.changed ? 'changed' : 'no change'}\n`;
    if (step.changed) out += describeStep(step, '      ');
  });
  out += `-- text\n${indent(r.text, '   | ')}`;
  if (r.error) {
    out += `-- error ${r.error.code}: ${r.error.message}\n`;
  } else {
    out += `-- decision: ${r.rule === null ? 'no rule matched' : `rule "${r.rule}"`} → ${r.action}${r.objectType ? ` (${r.objectType})` : ''}\n`;
    const fields = Object.entries(r.fields);
    if (fields.length > 0) out += `   fields:\n${fields.map(([k, v]) => `     ${k}: ${short(v)}`).join('\n')}\n`;
    if (r.threadHint) {
      const { ticketNumber, references } = r.threadHint;
      out += `   thread: ticket token ${ticketNumber === null ? 'none' : `#${ticketNumber}`}; known thread ${options.knownThread ? 'yes' : 'no'}`
        + `${references.length > 0 ? `; references ${references.length}` : ''}\n`;
    }
    out += `   post-actions: ${describePostActions(r.postActions)}\n`;
  }
  if (r.sender) out += `   sender: ${formatSenderDescription(r.sender)}\n`;
  out += `   rules tried: ${r.trace.map((t) => `${t.rule} ${t.error ? '!' : t.matched ? '✓' : '✗'}`).join(', ') || 'none'}\n`;
  if (r.expectation) {
    if (r.expectation.ok) out += `-- expected (${r.expectation.file}): ok\n`;
    else {
      out += `-- expected (${r.expectation.file}): ${r.expectation.differences.length} difference${r.expectation.differences.length === 1 ? '' : 's'}\n`;
      for (const d of r.expectation.differences) {
        out += d.message === undefined
          ? `   ${d.path}: expected ${short(d.expected)}, got ${short(d.actual)}\n`
          : `   ${d.path === '' ? '' : `${d.path}: `}${d.message}\n`;
      }
    }
  }
  return out;
}
