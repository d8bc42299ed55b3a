// node --import tsx test/bench/measure/seed-mailbox.ts   (env BENCH_EMULATOR: the RunningEmulator as JSON;
//   BENCH_SEED_OPTIONS: { total, seed, fixtures, attachmentShare? } as JSON)
// Generates the benchmark's mail and delivers it into the emulated support mailbox, in a process of its own: the
// corpus is hundreds of megabytes, and a process that once held it keeps much of that RSS after the garbage is
// collected, which would count as the connector's memory if the benchmark seeded from its own process.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { supportMailbox } from '../../helpers/mail-world.ts';
import { createCorpusTally, generateCorpus } from '../corpus/index.ts';

export interface SeedOptions {
  total: number;
  seed: number;
  fixtures: boolean;
  attachmentShare?: number;
}

async function fixtureCorpus(): Promise<string[]> {
  const dirs = ['fixtures/mail/preprocess', 'fixtures/mail/demo/support', 'fixtures/mail/demo/support-inbox', 'fixtures/mail/demo/purchasing'];
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.eml')).sort()) out.push(await readFile(join(dir, name), 'latin1'));
  }
  return out;
}

/** A fresh Message-ID (and no threading headers) so every seeded mail is a distinct new request. */
function unique(mime: string, i: number): string {
  const [head = '', ...rest] = mime.split(/\r?\n\r?\n/);
  const headers = head.split(/\r?\n(?![ \t])/).filter((h) => !/^(message-id|in-reply-to|references):/i.test(h));
  return [[...headers, `Message-ID: <bench-${i}@bench.example>`].join('\r\n'), ...rest].join('\r\n\r\n');
}

const emulator = JSON.parse(process.env.BENCH_EMULATOR ?? '') as RunningEmulator;
const options = JSON.parse(process.env.BENCH_SEED_OPTIONS ?? '') as SeedOptions;
const control = emulatorClient(emulator);
const tally = createCorpusTally();
if (options.fixtures) {
  const samples = await fixtureCorpus();
  for (let i = 0; i < options.total; i += 1) {
    const mime = unique(samples[i % samples.length]!, i);
    tally.add({ mime, kind: 'plain', messageId: `bench-${i}@bench.example`, attachments: 0 });
    await control.deliver(supportMailbox, mime, 'Inbox/Support');
  }
} else {
  for (const mail of generateCorpus({ seed: options.seed, count: options.total, ...(options.attachmentShare === undefined ? {} : { attachmentShare: options.attachmentShare }) })) {
    tally.add(mail);
    await control.deliver(supportMailbox, mail.mime, 'Inbox/Support');
  }
}
console.log(JSON.stringify(tally.stats()));
