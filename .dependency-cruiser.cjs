// The architecture as rules (docs/ARCHITECTURE.md, "Layers"), checked by test/architecture.test.ts:
// no import circles, and no import from a lower layer into a higher one. Tests (*.test.ts) are left
// out: they wire real parts of several layers together on purpose.

/** Bottom to top. A module may import its own layer and the layers below it, never one above. */
const LAYERS = [
  { name: 'foundations', path: '^server/src/(parsing/|notation[.]ts$|version[.]ts$)' },
  { name: 'engines', path: '^server/src/(analysis|complexity|execution|model)/' },
  { name: 'languages', path: '^server/src/languages/' },
  { name: 'services', path: '^server/src/(completion|optimize)/' },
  { name: 'protocol', path: '^server/src/protocol[.]ts$' },
  { name: 'front ends', path: '^server/src/(cli/|features/|documents[.]ts$|documentView[.]ts$|settings[.]ts$|featureContext[.]ts$)' },
  { name: 'entry points', path: '^server/src/(server|transport|analysisWorker)[.]ts$' },
  { name: 'client', path: '^client/src/' },
];

const upward = LAYERS.flatMap((lower, i) =>
  LAYERS.slice(i + 1).map((higher) => ({
    name: `layer: ${lower.name} → ${higher.name}`,
    comment: `${lower.name} is below ${higher.name}: pass what it needs in, or move the shared part down`,
    severity: 'error',
    from: { path: lower.path },
    to: { path: higher.path },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: the modules cannot be understood (or loaded) one before the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'layered',
      comment: 'every source module belongs to a layer (add a new folder or root file to LAYERS)',
      severity: 'error',
      from: { path: '^(server|client)/src/' },
      to: { path: '^(server|client)/src/', pathNot: LAYERS.map((l) => l.path) },
    },
    {
      name: 'cli-not-lsp',
      comment: 'the CLI runs without a language server: it shares analysis/, not documents.ts, settings or features/',
      severity: 'error',
      from: { path: '^server/src/cli/' },
      to: { path: '^server/src/(features/|documents[.]ts$|settings[.]ts$|featureContext[.]ts$|server[.]ts$)' },
    },
    {
      name: 'feature-internals',
      comment: 'an LSP feature uses another only through the server context and features/request.ts (and findings.ts, the shared presentation of findings)',
      severity: 'error',
      from: { path: '^server/src/features/([^/]+)[.]ts$' },
      to: { path: '^server/src/features/', pathNot: ['^server/src/features/(request|findings)[.]ts$', '^server/src/features/$1[.]ts$'] },
    },
    {
      name: 'client-only-protocol',
      comment: 'the client shares only the wire protocol with the server',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { path: '^server/src/', pathNot: '^server/src/protocol[.]ts$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '([.]test[.]ts$|node_modules)' },
  },
};
