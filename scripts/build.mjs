// Build: copy the tree-sitter grammars into grammars/ (with a version manifest) and the language
// plug-ins' prompt files into dist/languages/, and bundle
// the client, the server and the CLI with esbuild. Run by `npm run build` and by `prepare`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

// Each grammar: the package that ships it, the .wasm file inside, the name we give it.
const GRAMMARS = [
  { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm', name: 'python' },
  { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm', name: 'javascript' },
  { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm', name: 'typescript' },
  { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm', name: 'tsx' },
];

function copyGrammars() {
  const out = join(root, 'grammars');
  mkdirSync(out, { recursive: true });
  const manifest = { generatedBy: 'scripts/build.mjs', grammars: {} };
  for (const g of GRAMMARS) {
    const pkgDir = join(root, 'node_modules', g.pkg);
    const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
    copyFileSync(join(pkgDir, g.file), join(out, `${g.name}.wasm`));
    manifest.grammars[g.name] = { package: g.pkg, version, file: `${g.name}.wasm` };
  }
  const wts = join(root, 'node_modules', 'web-tree-sitter');
  copyFileSync(join(wts, 'web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
  manifest.runtime = { package: 'web-tree-sitter', version: JSON.parse(readFileSync(join(wts, 'package.json'), 'utf8')).version };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Native or ESM-only packages are loaded at run time, never bundled.
  external: ['vscode', 'tree-sitter', 'tree-sitter-python', 'tree-sitter-javascript', 'tree-sitter-typescript', 'node-llama-cpp', 'esbuild'],
  // web-tree-sitter is ESM and calls createRequire(import.meta.url), which esbuild's CommonJS output
  // leaves undefined (the packaged server then fails to initialize): give it the bundle's own URL.
  define: { 'import.meta.url': '__hotpathImportMetaUrl' },
  banner: { js: "var __hotpathImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/** Each language plug-in's prompts/ (server/src/languages/<folder>/prompts) into dist/languages/<folder>/prompts. */
function copyPrompts() {
  const src = join(root, 'server', 'src', 'languages');
  for (const folder of readdirSync(src)) {
    const prompts = join(src, folder, 'prompts');
    if (existsSync(prompts)) cpSync(prompts, join(root, 'dist', 'languages', folder, 'prompts'), { recursive: true });
  }
}

copyGrammars();
copyPrompts();
// The benchmark webview's chart library (gitignored copy; see docs/execution.md).
mkdirSync(join(root, 'media', 'benchmark'), { recursive: true });
copyFileSync(join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'), join(root, 'media', 'benchmark', 'chart.umd.js'));
const entries = [
  ['client/src/extension.ts', 'dist/client.js'],
  ['server/src/server.ts', 'dist/server.js'],
  ['server/src/cli/main.ts', 'dist/cli.js'],
  ['server/src/model/embedded/worker.ts', 'dist/engineWorker.js'],
  ['server/src/analysisWorker.ts', 'dist/analysisWorker.js'],
];
await Promise.all(entries.filter(([src]) => existsSync(join(root, src))).map(([src, out]) =>
  build({ ...common, entryPoints: [join(root, src)], outfile: join(root, out) })));
// The benchmark webview's script runs in the webview (a browser): its own bundle, next to chart.js.
await build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', define: {}, banner: {}, entryPoints: [join(root, 'client', 'webview', 'benchmark.ts')], outfile: join(root, 'media', 'benchmark', 'main.js') });
// Each rule's documentation page (dist/rules/<CODE>.md), generated from the rule files by the CLI
// just built: diagnostics link their code to it (codeDescription.href), and the package ships it.
rmSync(join(root, 'dist', 'rules'), { recursive: true, force: true });
const pages = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'rule', '--pages', join(root, 'dist', 'rules')], { encoding: 'utf8' });
if (pages.status !== 0) {
  console.error(`writing the rule pages failed: ${pages.stderr || pages.stdout}`);
  process.exit(1);
}
