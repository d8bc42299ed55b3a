import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** The part of a V8 CPU profile this file reads (the .cpuprofile format Chrome DevTools opens). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Profiles this process around `work` only (not the seeding), like `node --cpu-prof` does for a whole run. */
export async function profileWhile<T>(work: () => Promise<T>, file: string): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  await writeFile(file, JSON.stringify(profile));
  return { result, profile };
}
