// Enforces ARCHITECTURE.md: no cycles, and imports point up the module table, never down.
// Run by `npm run depcheck` as part of `npm test`.
const layer = (from, allowed) => ({
  name: `layering-${from}`,
  comment: `src/${from} may import only: ${allowed.join(', ') || 'nothing of ours'}`,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: '^src/', pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    layer('core', []),
    layer('config', ['core']),
    layer('log', ['core']),
    layer('store', ['core', 'config', 'log']),
    layer('auth', ['core', 'config', 'log', 'store']),
    layer('graph', ['core', 'config', 'log', 'auth']),
    layer('mail/parse', ['core']),
    layer('mail/preprocess', ['core', 'mail/parse']),
    layer('rules', ['core', 'config', 'mail/parse', 'mail/preprocess']),
    layer('tickets', ['core', 'store', 'log']),
    layer('jobs', ['core', 'store', 'log']),
    layer('emulator', ['core']),
    layer('mail/actions', ['core', 'config', 'log', 'store', 'graph', 'tickets', 'rules', 'mail/parse']),
    layer('mail/connector', ['core', 'config', 'log', 'store', 'graph', 'tickets', 'rules', 'jobs', 'mail/parse', 'mail/preprocess', 'mail/actions']),
    layer('notify', ['core', 'config', 'log', 'store', 'auth', 'graph', 'tickets', 'jobs', 'rules', 'mail/parse']),
    layer('calendar', ['core', 'config', 'log', 'store', 'auth', 'graph', 'jobs']),
    layer('watch', ['core', 'config', 'log', 'store', 'auth', 'jobs', 'notify']),
    layer('metrics', ['core', 'config', 'log', 'store', 'jobs', 'watch']),
    layer('scheduler', ['core', 'config', 'log', 'store', 'jobs']),
    {
      name: 'emulator-is-separate',
      comment: 'the service never imports the emulator (only the CLI starts it)',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/emulator/', '^src/cli/', '^src/app\\.ts$', '^src/main\\.ts$'] },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'single-importers',
      comment: 'mongodb only in store, msal only in auth, mailparser only in mail/parse, jsonata only in rules (emulator excepted)',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/emulator/', '^src/scheduler/'] },
      to: { path: 'node_modules/mongodb/' },
    },
    { name: 'msal-only-in-auth', severity: 'error', from: { path: '^src/', pathNot: ['^src/auth/', '^src/emulator/'] }, to: { path: 'node_modules/@azure/msal-node/' } },
    { name: 'mailparser-only-in-parse', severity: 'error', from: { path: '^src/', pathNot: ['^src/mail/parse/', '^src/emulator/'] }, to: { path: 'node_modules/mailparser/' } },
    { name: 'jsonata-only-in-rules', severity: 'error', from: { path: '^src/', pathNot: ['^src/rules/'] }, to: { path: 'node_modules/jsonata/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
