// `npm run package`: platform-specific .vsix packages with @vscode/vsce.
//
//   node scripts/package.mjs                         the current platform (e.g. linux-x64)
//   node scripts/package.mjs --target darwin-arm64,win32-x64
//   node scripts/package.mjs --all                   every target below, and the universal fallback
//   node scripts/package.mjs --gpu                   also ship the GPU builds (CUDA/Vulkan) of the engine
//   node scripts/package.mjs --no-build              reuse dist/ and grammars/ as they are
//   node scripts/package.mjs --out <dir>             where the .vsix files go (default: dist-vsix/)
//
// The client and the server are bundled by esbuild (scripts/build.mjs --production); the only runtime
// package left outside the bundle is node-llama-cpp (ESM-only, native). Its native binaries come in one
// npm package per platform (@node-llama-cpp/<platform>), 13–360 MB each, so each target gets a staging
// directory (.cache/package/<target>/) holding: the bundles, the WASM grammars, media, a trimmed
// package.json, and a production node_modules with node-llama-cpp's own dependency closure (copied from
// this checkout's node_modules, same layout) plus ONLY that target's prebuilt binary package (copied
// when installed here, else fetched with `npm pack`). vsce then packages the staging directory with
// `--target <target>`, so the Marketplace serves each user only their platform's package.
// `--target universal` packages without the engine: analysis, benchmarks and remote models work,
// the embedded model does not.
//
// macOS and Windows get node-llama-cpp 3.21.1 (ENGINE_VERSION below): the registry has 3.22.1's
// binaries for Linux only, 3.21.1's for every platform. Their node-llama-cpp is fetched with
// `npm pack node-llama-cpp@3.21.1`; its dependencies are this checkout's (checked against 3.21.1's
// declared ranges); their binaries are 3.21.1's. The engine detects at run time that 3.21.1 lacks
// 3.22's sequence-state copy and falls back from the edit-aware KV cache to prefix reuse.
//   node scripts/package.mjs --stage-only --target X   stage without packaging
//   node scripts/package.mjs --staging <dir>           stage under <dir> instead of .cache/package/ (tests)
//   node scripts/package.mjs --engine 3.21.1           this node-llama-cpp version for every target staged
//                                                      (scripts/engine.test.ts runs Linux on 3.21.1 this way)
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

// The packages the bundles load at run time (everything else is inside dist/*.js), each with its
// per-platform binary packages: VS Code target → package names under `scope` (CPU builds first;
// `gpu` ones only with --gpu). node-llama-cpp runs the local model; esbuild compiles JavaScript and
// TypeScript functions for benchmarks.
const RUNTIME = {
  'node-llama-cpp': {
    scope: '@node-llama-cpp',
    targets: {
      'linux-x64': { cpu: ['linux-x64'], gpu: ['linux-x64-vulkan', 'linux-x64-cuda', 'linux-x64-cuda-ext'] },
      'linux-arm64': { cpu: ['linux-arm64'] },
      // @node-llama-cpp/linux-armv7l (3.21.1 and 3.22.1 alike) holds aarch64 binaries, which a 32-bit
      // ARM system cannot load (scripts/package.test.ts reads their ELF headers): the linux-armhf
      // package ships without the embedded engine, like the universal one (remote models work).
      'linux-armhf': { cpu: [] },
      'darwin-arm64': { cpu: ['mac-arm64-metal'] },
      'darwin-x64': { cpu: ['mac-x64'] },
      'win32-x64': { cpu: ['win-x64'], gpu: ['win-x64-vulkan', 'win-x64-cuda', 'win-x64-cuda-ext'] },
      'win32-arm64': { cpu: ['win-arm64'] },
    },
  },
  esbuild: {
    scope: '@esbuild',
    targets: {
      'linux-x64': { cpu: ['linux-x64'] },
      'linux-arm64': { cpu: ['linux-arm64'] },
      'linux-armhf': { cpu: ['linux-arm'] },
      'darwin-arm64': { cpu: ['darwin-arm64'] },
      'darwin-x64': { cpu: ['darwin-x64'] },
      'win32-x64': { cpu: ['win32-x64'] },
      'win32-arm64': { cpu: ['win32-arm64'] },
    },
  },
};
const RUNTIME_PACKAGES = Object.keys(RUNTIME);
/** The runtime packages a target ships: those with binaries for it (none for universal). */
const runtimeFor = (target) => RUNTIME_PACKAGES.filter((p) => RUNTIME[p].targets[target]?.cpu.length);
/** Targets whose node-llama-cpp is not this checkout's: the registry has no 3.22.1 binaries for them. */
const ENGINE_VERSION = { 'darwin-arm64': '3.21.1', 'darwin-x64': '3.21.1', 'win32-x64': '3.21.1', 'win32-arm64': '3.21.1' };
const BINARY_SCOPES = Object.values(RUNTIME).map((r) => `${r.scope}/`);
const TARGETS = Object.fromEntries([...Object.keys(RUNTIME['node-llama-cpp'].targets), 'universal'].map((t) => [t, true]));
/** Packages the bundles may try to load but do without (native tree-sitter backend is optional). */
const OPTIONAL_AT_RUNTIME = ['vscode', 'tree-sitter', 'tree-sitter-python', 'tree-sitter-javascript', 'tree-sitter-typescript'];
/** What goes into the package from the repository root (filtered again by .vscodeignore). */
const INCLUDE = ['dist', 'grammars', 'media', 'assets', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md', '.vscodeignore'];

function hostTarget() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  const t = `${os}-${cpu}`;
  return TARGETS[t] ? t : 'universal';
}

let targets = flag('--all') ? Object.keys(TARGETS) : (option('--target') ?? hostTarget()).split(',');
for (const t of targets) if (!TARGETS[t]) { console.error(`unknown target ${t}; known: ${Object.keys(TARGETS).join(', ')}`); process.exit(2); }
const outDir = resolve(root, option('--out') ?? 'dist-vsix');
const stagingRoot = resolve(root, option('--staging') ?? join('.cache', 'package'));
/** Downloaded tarballs are shared by every staging root. */
const tarballs = join(root, '.cache', 'package', 'tarballs');
const engineOverride = option('--engine');

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) { console.error(`failed: ${cmd} ${cmdArgs.join(' ')}`); process.exit(r.status ?? 1); }
  return r;
}
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

// 1. Production bundles.
if (!flag('--no-build')) run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
for (const f of ['dist/client.js', 'dist/server.js']) if (!existsSync(join(root, f))) { console.error(`missing ${f}: the build did not produce it`); process.exit(1); }

// 2. The bundles must not load any package we do not ship.
function checkBundleImports() {
  const allowed = new Set([...builtinModules, ...RUNTIME_PACKAGES, ...OPTIONAL_AT_RUNTIME]);
  const bad = new Set();
  for (const f of readdirSync(join(root, 'dist')).filter((n) => n.endsWith('.js'))) {
    const src = readFileSync(join(root, 'dist', f), 'utf8');
    // The bundles are CommonJS: what they load at run time is a require("x") or an import("x").
    for (const m of src.matchAll(/\b(?:require|import)\(\s*["']((?:@[\w.-]+\/)?[\w.:-][\w./-]*)["']\s*\)/g)) {
      const spec = m[1].replace(/^node:/, '');
      if (spec.startsWith('.')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!allowed.has(name)) bad.add(`${name} (dist/${f})`);
    }
  }
  if (bad.size) { console.error(`the bundles load packages that are not shipped: ${[...bad].join(', ')}\nbundle them or add them to RUNTIME_PACKAGES in scripts/package.mjs`); process.exit(1); }
}
checkBundleImports();

// 3. node-llama-cpp's dependency closure, resolved the way Node does (nested node_modules first).
const nm = join(root, 'node_modules');
function resolvePackageDir(name, fromDir) {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (d === root || d === dirname(d)) return undefined;
  }
}
function closure(names) {
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = readJson(join(dir, 'package.json'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const d = resolvePackageDir(dep, dir);
      if (!d) throw new Error(`${dep} (needed by ${pkg.name}) is not installed: run npm ci`);
      visit(d);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      if (BINARY_SCOPES.some((scope) => dep.startsWith(scope))) continue; // platform binaries: chosen per target
      const d = resolvePackageDir(dep, dir);
      if (d) visit(d);
    }
  };
  for (const n of names) visit(join(nm, n));
  return [...seen].map((d) => relative(nm, d)).sort();
}

/** Does a package (its `os`/`cpu` fields) run on a VS Code target? Packages without them run anywhere. */
function runsOn(pkg, target) {
  const [os, arch] = target.split('-');
  const cpu = { armhf: 'arm' }[arch] ?? arch;
  const allows = (list, value) => !list || (list.some((x) => !x.startsWith('!')) ? list.includes(value) : !list.includes(`!${value}`));
  return allows(pkg.os, os) && allows(pkg.cpu, cpu);
}

function dirSize(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, c) => n + dirSize(join(p, c)), 0);
}
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Copies (or fetches with npm pack) <package>@<version> into <staging>/node_modules/<package>. */
function addPackage(staging, pkg, version) {
  const spec = `${pkg}@${version}`;
  const dest = join(staging, 'node_modules', pkg);
  // Replace the package, keeping the dependencies nested under it (staged from the closure).
  if (existsSync(dest)) for (const e of readdirSync(dest)) if (e !== 'node_modules') rmSync(join(dest, e), { recursive: true, force: true });
  const local = join(nm, pkg);
  if (existsSync(join(local, 'package.json')) && readJson(join(local, 'package.json')).version === version) {
    cpSync(local, dest, { recursive: true, filter: (p) => !relative(local, p).startsWith('node_modules') });
    return;
  }
  mkdirSync(tarballs, { recursive: true });
  const file = join(tarballs, `${pkg.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(file)) {
    console.log(`fetching ${spec} with npm pack`);
    // Into a directory of its own, then renamed: another run may be fetching the same file.
    const tmp = mkdtempSync(join(tarballs, '.fetch-'));
    try {
      const r = spawnSync('npm', ['pack', spec, '--pack-destination', tmp, '--loglevel=error'], { encoding: 'utf8', cwd: tmp });
      if (r.status !== 0) throw new Error(`npm pack ${spec} failed: ${(r.stderr.match(/npm error (?!A complete log).*/g) ?? [r.stderr.trim()]).join('; ')}`);
      renameSync(join(tmp, r.stdout.trim().split('\n').pop()), file);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  mkdirSync(dest, { recursive: true });
  run('tar', ['-xzf', file, '-C', dest, '--strip-components=1']);
}

/** Every dependency of the staged package at `dir` is staged at a version its range accepts. */
function checkDependencies(staging, dir) {
  const pkg = readJson(join(dir, 'package.json'));
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    const at = [join(dir, 'node_modules', dep), join(staging, 'node_modules', dep)].find((d) => existsSync(join(d, 'package.json')));
    if (!at) throw new Error(`${pkg.name}@${pkg.version} needs ${dep} ${range}, which is not staged`);
    const version = readJson(join(at, 'package.json')).version;
    if (!semver.satisfies(version, range)) throw new Error(`${pkg.name}@${pkg.version} needs ${dep} ${range}; the staged one is ${version}`);
  }
}

function stage(target) {
  const staging = join(stagingRoot, target);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const entry of INCLUDE) {
    const src = join(root, entry);
    if (!existsSync(src)) continue;
    cpSync(src, join(staging, entry), { recursive: true, filter: (p) => !p.endsWith('.map') });
  }
  const manifest = readJson(join(root, 'package.json'));
  delete manifest.devDependencies;
  delete manifest.optionalDependencies;
  delete manifest.scripts;
  delete manifest.bin;
  manifest.dependencies = Object.fromEntries(runtimeFor(target).map((p) => [p, readJson(join(nm, p, 'package.json')).version]));
  writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  if (target !== 'universal') {
    for (const rel of closure(runtimeFor(target))) {
      // Optional native helpers of the closure (@reflink/reflink-linux-x64-gnu for ipull) are
      // installed here for this machine only: they ship only in the package of their own platform.
      if (!runsOn(readJson(join(nm, rel, 'package.json')), target)) continue;
      cpSync(join(nm, rel), join(staging, 'node_modules', rel), {
        recursive: true,
        // Nested node_modules are copied as packages of their own; .bin holds links only.
        filter: (p) => { const r = relative(join(nm, rel), p); return !r.startsWith('node_modules') && !r.includes('/.bin') && r !== '.bin'; },
      });
    }
    const engine = engineOverride ?? ENGINE_VERSION[target];
    if (engine && runtimeFor(target).includes('node-llama-cpp')) {
      addPackage(staging, 'node-llama-cpp', engine);
      checkDependencies(staging, join(staging, 'node_modules', 'node-llama-cpp'));
      manifest.dependencies['node-llama-cpp'] = engine;
      writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    }
    for (const [pkg, { scope, targets: binaries }] of Object.entries(RUNTIME)) {
      if (!runtimeFor(target).includes(pkg)) continue;
      const version = readJson(join(staging, 'node_modules', pkg, 'package.json')).version;
      const { cpu, gpu = [] } = binaries[target];
      for (const name of [...cpu, ...(flag('--gpu') ? gpu : [])]) addPackage(staging, `${scope}/${name}`, version);
    }
  }
  return staging;
}

mkdirSync(outDir, { recursive: true });
const vsce = join(nm, '@vscode', 'vsce', 'vsce');
const version = readJson(join(root, 'package.json')).version;
const results = [];
const failures = [];
for (const target of targets) {
  let staging;
  try {
    staging = stage(target);
  } catch (e) {
    // E.g. the registry has no prebuilt binaries of this engine version for the target: a package
    // without them would try to build llama.cpp from source on the user's machine, so none is made.
    console.error(`\n== ${target}: not packaged: ${e.message.split('\n')[0]}`);
    failures.push({ target, reason: e.message.split('\n')[0] });
    continue;
  }
  if (flag('--stage-only')) {
    console.log(`== ${target}: staged ${relative(root, staging)}`);
    continue;
  }
  const file = join(outDir, target === 'universal' ? `hotpath-${version}.vsix` : `hotpath-${target}-${version}.vsix`);
  rmSync(file, { force: true });
  const vsceArgs = ['package', '--out', file, '--allow-missing-repository', '--skip-license'];
  // vsce rewrites README's relative links against the repository; it only knows GitHub and GitLab.
  const repo = readJson(join(root, 'package.json')).repository;
  const repoUrl = (typeof repo === 'string' ? repo : repo?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
  if (/^https?:\/\//.test(repoUrl) && !/github\.com|gitlab\.com/.test(repoUrl)) vsceArgs.push('--baseContentUrl', `${repoUrl}/blob/HEAD`, '--baseImagesUrl', `${repoUrl}/raw/HEAD`);
  if (target !== 'universal') vsceArgs.push('--target', target);
  else vsceArgs.push('--no-dependencies');
  console.log(`\n== ${target}: staging ${relative(root, staging)} (${mb(dirSize(staging))} unpacked)`);
  run(process.execPath, [vsce, ...vsceArgs], { cwd: staging });
  results.push({ target, file: relative(root, file), bytes: statSync(file).size });
}

if (flag('--stage-only')) process.exit(failures.length ? 1 : 0);
console.log('\nPackages:');
for (const r of results) console.log(`  ${r.target.padEnd(14)} ${mb(r.bytes).padStart(10)}  ${r.file}`);
for (const f of failures) console.log(`  ${f.target.padEnd(14)} ${'-'.padStart(10)}  not packaged: ${f.reason}`);
writeFileSync(join(outDir, 'sizes.json'), JSON.stringify(results, null, 2) + '\n');
if (failures.length) process.exit(1);
