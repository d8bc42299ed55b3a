import type { CpuProfile } from './cpu-profile.ts';

/**
 * Where the connector's CPU goes, per mail: each sample is charged to the innermost frame of ours or of a library
 * that belongs to a stage, so Buffer copies inside mailparser count as parsing and bson inside the driver as database.
 */
const stages: [string, RegExp][] = [
  ['parse', /node_modules\/(mailparser|@zone-eu\/mailsplit|libbase64|libqp|libmime|iconv-lite|encoding-japanese|punycode)\/|src\/mail\/parse\//],
  ['clean', /node_modules\/(htmlparser2|html-to-text|domhandler|dom-serializer|domutils|entities|selderee|parseley|leac|deepmerge)\/|src\/mail\/preprocess\//],
  ['rules', /node_modules\/jsonata\/|src\/rules\//],
  ['database', /node_modules\/(mongodb|bson|mongodb-connection-string-url)\/|src\/store\/|src\/tickets\/|src\/jobs\//],
  ['graph', /node_modules\/(undici|@microsoft|@azure)\/|src\/graph\/|src\/auth\//],
  ['connector', /src\/mail\/(connector|actions|decide)\//],
];

/**
 * Shares of the profile's busy samples, scaled to the CPU time the process really used: on a loaded machine the
 * sampling intervals also span time the process spent waiting for a core, so raw sample times overstate CPU.
 */
export function costBreakdown(profile: CpuProfile, cpuMsPerMessage: number): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const stageOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let stage = name === '(garbage collector)' ? 'gc' : name === '(idle)' ? 'idle' : null;
    if (!stage) stage = stages.find(([, pattern]) => pattern.test(node.callFrame.url))?.[0] ?? null;
    if (!stage) {
      const up = parent.get(id);
      stage = up === undefined ? 'other' : classify(up);
    }
    stageOf.set(id, stage);
    return stage;
  };
  const ms: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const stage = classify(id);
    ms[stage] = (ms[stage] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  delete ms['idle'];
  const busy = Object.values(ms).reduce((sum, t) => sum + t, 0) || 1;
  return Object.fromEntries(Object.entries(ms).sort((a, b) => b[1] - a[1]).map(([stage, total]) => [stage, Number(((total / busy) * cpuMsPerMessage).toFixed(2))]));
}
