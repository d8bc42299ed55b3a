// A rule worker thread starts here: worker threads do not inherit the tsx loader that src/cli/bin.js registers,
// so the thread registers it itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./rule-worker.ts');
