#!/usr/bin/env node
// The CLI is written in TypeScript and run through tsx, so a clone works without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.argv);
process.exitCode = code;
// main() returns when the command is done and has closed what it opened. A library may still hold a timer (Agenda's
// lock watchdog sleeps half a lock lifetime after every run, minutes by default), which must not keep a stopped
// service alive: the process ends a moment later (time for the last log lines), or at once when nothing is left.
setTimeout(() => process.exit(code), 500).unref();
