import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * Samples this process's allocations around `work` (V8's sampling heap profiler, the .heapprofile format Chrome
 * DevTools opens): where the garbage comes from, which a CPU profile shows only as "(garbage collector)".
 * Returns the top allocation sites by bytes allocated per message (sampled, so estimates).
 */
export async function heapProfileWhile<T>(work: () => Promise<T>, file: string): Promise<{ result: T; topSites: [string, number][] }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  // Objects collected before the profile ends count too: they are the garbage.
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const result = await work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
  session.disconnect();
  await writeFile(file, JSON.stringify(profile));
  const bySite = new Map<string, number>();
  const visit = (node: SamplingNode): void => {
    const site = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/')}:${node.callFrame.lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  return { result, topSites: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25) };
}
