// Where a `hotpath check` spends its main thread's time, from a V8 CPU profile (issue 18 round 12):
//   node --cpu-prof --cpu-prof-interval 500 --cpu-prof-dir DIR bin/hotpath.js check <files> \
//     --format json --exit-zero --no-progress --no-cache --jobs 1 > /dev/null
//   node bench/speed/profile-parts.mjs DIR/<the .cpuprofile>
// Each sample goes to the innermost frame on its stack that names a part (the names are the bundle's
// function names); then the functions with the most self time (WebAssembly by module).
import { readFileSync } from 'node:fs';

const PARTS = [
  ['garbage collection (main-thread pauses)', /^\(garbage collector\)$/],
  ["tree-sitter's parse (WASM and the JS around it)", /^(parse|parserInput|blankCommentRuns|_tree_sitter_parse_callback)$/],
  ['copying trees into snapshots', /^(snapshot|copySubtree)$/],
  ['freeing the WASM trees', /^(dispose|delete)$/],
  ['complexity pre-filter (mayBeSuperlinear)', /^mayBeSuperlinear$/],
  ['complexity estimates (estimateRoots)', /^(estimateRoots|estimates|estimatesNeeded)$/],
  ['module facts (name facts, bindings)', /^moduleFactsOf$/],
  ['finding units', /^(rawUnits|unitMembers)$/],
  ['rules and unit facts (runRules)', /^(runRules|analyseUnit)$/],
  ['reading and decoding files', /^(readSourceText|readRegularFile|decodePythonSource)$/],
  ['document analysis around the rules', /^(DocumentAnalysis|reanalyse|analyseJob|findings|syntaxErrors)$/],
  ['check driver and output', /^(checkFiles|prepare|toJson|main)$/],
  ['start-up (module loading, compiling)', /^(Module\._load|Module\.require|require|executeUserEntryPoint|wrapSafe)$/],
  ['V8 outside JavaScript (program, idle)', /^\((program|idle)\)$/],
];

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const time = new Map();
for (let i = 0; i < profile.samples.length; i++) time.set(profile.samples[i], (time.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
let total = 0;
for (const t of time.values()) total += t;

const parts = new Map([...PARTS.map(([name]) => [name, 0]), ['other', 0]]);
const self = new Map();
for (const [id, t] of time) {
  let part = 'other';
  find: for (let x = id; x !== undefined; x = parent.get(x)) {
    const name = byId.get(x).callFrame.functionName;
    for (const [p, re] of PARTS) if (re.test(name)) { part = p; break find; }
  }
  parts.set(part, parts.get(part) + t);
  const frame = byId.get(id).callFrame;
  const fn = frame.functionName.startsWith('wasm-function') ? `WebAssembly (${frame.url})` : frame.functionName || '(anonymous)';
  self.set(fn, (self.get(fn) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / total).toFixed(1)}%`;
console.log(`${(total / 1e6).toFixed(2)} s sampled\n\n| where | share |\n|---|---:|`);
for (const [p, t] of parts) console.log(`| ${p} | ${pct(t)} |`);
console.log('\n| self time | share |\n|---|---:|');
for (const [fn, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`| ${fn} | ${pct(t)} |`);
