/**
 * Static check for regular expressions from rule files. JavaScript regexes backtrack and cannot be interrupted, so a
 * pattern like `(a+)+$` or `(\w|\d)*x` can hang a worker on one crafted mail. We reject the two shapes that cause
 * exponential backtracking: an unbounded quantifier applied to a group that itself contains one (star height > 1),
 * and an unbounded quantifier over an alternation whose branches can start with the same character. A repeated
 * group that starts with a fixed character is taken as delimited and allowed.
 * It is a conservative screen, not a proof; patterns it accepts still run only on one message body at a time.
 */
interface GroupFrame {
  innerUnbounded: boolean;
  branches: string[];
  branchStart: number;
}

const UNBOUNDED_REPEAT = 10;

export function findRegexProblem(source: string): string | null {
  const stack: GroupFrame[] = [{ innerUnbounded: false, branches: [], branchStart: 0 }];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      i += 2;
      i = afterQuantifier(source, i, stack, false);
      continue;
    }
    if (ch === '[') {
      i = skipClass(source, i);
      i = afterQuantifier(source, i, stack, false);
      continue;
    }
    if (ch === '(') {
      const prefix = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i));
      i += prefix === null ? 1 : prefix[0].length;
      stack.push({ innerUnbounded: false, branches: [], branchStart: i });
      continue;
    }
    if (ch === '|') {
      const frame = stack[stack.length - 1] as GroupFrame;
      frame.branches.push(source.slice(frame.branchStart, i));
      frame.branchStart = i + 1;
      i++;
      continue;
    }
    if (ch === ')') {
      const frame = stack.pop();
      if (frame === undefined || stack.length === 0) return null; // unbalanced: RegExp() reports it
      frame.branches.push(source.slice(frame.branchStart, i));
      i++;
      const quantifier = readQuantifier(source, i);
      if (quantifier !== null && quantifier.unbounded) {
        if (frame.innerUnbounded && !startsWithFixedLiteral(frame.branches)) {
          return `pattern can backtrack catastrophically: a repeated group contains another repetition near "${excerpt(source, i)}"; make the inner part unambiguous`;
        }
        if (branchesOverlap(frame.branches)) {
          return `pattern can backtrack catastrophically: alternatives of a repeated group can match the same text near "${excerpt(source, i)}"`;
        }
      }
      const parent = stack[stack.length - 1] as GroupFrame;
      if (frame.innerUnbounded || quantifier?.unbounded === true) parent.innerUnbounded = true;
      i += quantifier?.length ?? 0;
      continue;
    }
    i = afterQuantifier(source, i + 1, stack, false);
  }
  return null;
}

function afterQuantifier(source: string, i: number, stack: GroupFrame[], _group: boolean): number {
  const quantifier = readQuantifier(source, i);
  if (quantifier === null) return i;
  if (quantifier.unbounded) (stack[stack.length - 1] as GroupFrame).innerUnbounded = true;
  return i + quantifier.length;
}

function readQuantifier(source: string, i: number): { unbounded: boolean; length: number } | null {
  const match = /^(?:[*+?]|\{(\d+)(,(\d*))?\})\??/.exec(source.slice(i, i + 20));
  if (match === null) return null;
  const token = match[0];
  if (token.startsWith('*') || token.startsWith('+')) return { unbounded: true, length: token.length };
  if (token.startsWith('?')) return { unbounded: false, length: token.length };
  const max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Infinity : Number(match[3]);
  return { unbounded: max >= UNBOUNDED_REPEAT, length: token.length };
}

function skipClass(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Two branches that can start with the same character (or one that can be empty) make a repeated group ambiguous. */
function branchesOverlap(branches: readonly string[]): boolean {
  if (branches.length < 2) return false;
  const starts = branches.map(firstAtom);
  if (starts.some((s) => s === '')) return true;
  const broad = new Set(['.', '\\w', '\\W', '\\s', '\\S', '\\d', '\\D', '[']);
  for (let a = 0; a < starts.length; a++) {
    for (let b = a + 1; b < starts.length; b++) {
      const x = starts[a] as string;
      const y = starts[b] as string;
      if (x === y || broad.has(x) || broad.has(y)) return true;
    }
  }
  return false;
}

function firstAtom(branch: string): string {
  const b = branch.replace(/^\^/, '');
  if (b === '') return '';
  if (b.startsWith('\\')) return b.slice(0, 2);
  if (b.startsWith('[')) return '[';
  if (b.startsWith('(')) return '[';
  return (b[0] as string).toLowerCase();
}

function excerpt(source: string, i: number): string {
  return source.slice(Math.max(0, i - 20), i + 2);
}

/**
 * `(?:-[a-z]+)*` is safe: every repetition must begin with the same literal, so there is one way to split the
 * input. A branch starting with an unquantified plain character counts as delimited.
 */
function startsWithFixedLiteral(branches: readonly string[]): boolean {
  return branches.length === 1 && /^(?:[^\\[(.^$|?*+{]|\\[^dDwWsSbBpPu0-9])(?![*+?{])/.test(branches[0] ?? '');
}
