// A child process that streams one large file into the file store (putFileStream), so a test can kill it at a point
// chosen from its own progress: it prints `chunks written <k>` each time the server acknowledged a write of chunks.
// DB_URI and DB_NAME say where; FILE_MB how large; SEED what the bytes are. Prints `done <fileId>` at the end.
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore, putFileStream } from '../../src/store/index.ts';
import { patternedBytes } from './patterned-bytes.ts';

const store = await openStore({ uri: process.env.DB_URI!, dbName: process.env.DB_NAME!, logger: createSilentLogger(), monitorCommands: true });
const chunkInserts = new Set<number>();
let written = 0;
store.client.on('commandStarted', (event) => {
  if (event.commandName === 'insert' && event.command.insert === 'files.chunks') chunkInserts.add(event.requestId);
});
store.client.on('commandSucceeded', (event) => {
  if (!chunkInserts.delete(event.requestId)) return;
  written += 1;
  process.stdout.write(`chunks written ${written}\n`);
});

async function* source(): AsyncGenerator<Uint8Array> {
  const total = Number(process.env.FILE_MB ?? 12) * 1024 * 1024;
  for (let at = 0; at < total; at += 64 * 1024) yield patternedBytes(Number(process.env.SEED ?? 1), at, Math.min(64 * 1024, total - at));
}

const file = await putFileStream(store, source(), { filename: 'big.bin', contentType: 'application/octet-stream', kind: 'attachment' });
process.stdout.write(`done ${file.fileId}\n`);
await store.close();
