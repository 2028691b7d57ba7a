// How long the JavaScript/TypeScript class search (languages/ecmascript/execution/instances.ts)
// holds the language server's thread when a benchmark asks for inputs: the first (cold) choice of
// inputs for a function whose parameter is used through methods, in a project whose package.json
// names large installed dependencies — a temporary project with this repository's dependencies
// (node-llama-cpp, vscode-languageserver, tree-sitter grammars, …; node_modules linked), the case
// the review of f54106f..main measured at 3.8 s. Each version runs in a fresh process (nothing
// cached), the versions in turn, three rounds; this tree's parsers for all.
//
//   npm run bench -- inputs-search       writes bench/inputs-search.md (~1 minute)
//   HOTPATH_BASELINES=a,b                 the versions compared with this tree (default: da7e150 — round 5
//                                         before the 20 MB cap and the method-name pre-filter — and cac4f39, after them)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const BASELINES = (process.env.HOTPATH_BASELINES ?? 'da7e150,cac4f39').split(',').filter(Boolean);
const ROUNDS = 3;

// Two functions whose parameter is used only through methods: no class of the project or its dependencies has both graph methods;
// vscode-languageserver-textdocument's TextDocument has both document methods (no file constructs one with literal arguments).
const PROBE = ['function reach(g) {', '  return g.nodes().length + g.successors(1).length;', '}', 'function offsets(doc) {', '  return doc.getText().length + doc.positionAt(1).line;', '}', 'module.exports = { reach, offsets };', ''].join('\n');

/** In a child process: the cold time of each function's choice of inputs with the code at `code`. */
async function child(code: string, file: string): Promise<void> {
  const { chooseInputs } = await import(join(code, 'server/src/execution/examples.ts'));
  const { extractFunction, parseSource } = await import(join(code, 'server/src/execution/extract.ts'));
  const { languageById } = await import(join(code, 'server/src/languages/index.ts'));
  const { loadParserFactory } = await import('../server/src/parsing');
  const parsers = await loadParserFactory();
  const source = readFileSync(file, 'utf8');
  const lang = languageById('javascript').execution;
  const out: Record<string, { ms: number; chosen: string }> = {};
  for (const name of ['reach', 'offsets']) {
    const fn = extractFunction(parsers, lang, source, name, [], file);
    const t0 = performance.now();
    let chosen: string;
    try {
      const c = chooseInputs(fn, lang, { parse: (t: string) => parseSource(parsers, 'javascript', t), parseWith: (g: string, t: string) => parseSource(parsers, g, t), file, source });
      chosen = 'example' in c ? `${c.example.source}: ${c.example.call}` : 'types';
    } catch {
      chosen = 'refused';
    }
    out[name] = { ms: performance.now() - t0, chosen };
  }
  out.both = { ms: out.reach.ms + out.offsets.ms, chosen: '' };
  console.log(JSON.stringify(out));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const project = mkdtempSync(join(tmpdir(), 'hotpath-inputs-search-'));
  const trees: { label: string; dir: string; worktree: boolean }[] = [];
  try {
    const deps = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {};
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', dependencies: deps }, null, 2));
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    const file = join(project, 'probe.js');
    writeFileSync(file, PROBE);
    for (const ref of BASELINES) {
      const dir = mkdtempSync(join(tmpdir(), `hotpath-inputs-search-${ref}-`));
      execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, stdio: 'ignore' });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      trees.push({ label: ref, dir, worktree: true });
    }
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    trees.push({ label: `this tree (${head}${execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() ? ' + changes' : ''})`, dir: ROOT, worktree: false });
    const times = new Map<string, Map<string, number[]>>();
    const chosen = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      // The versions in turn, starting one later each round (the machine's load drifts).
      for (let k = 0; k < trees.length; k++) {
        const t = trees[(k + round) % trees.length];
        const r = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', t.dir, file], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!);
        for (const [fn, v] of Object.entries(r as Record<string, { ms: number; chosen: string }>)) {
          if (!times.has(t.label)) times.set(t.label, new Map());
          times.get(t.label)!.set(fn, [...(times.get(t.label)!.get(fn) ?? []), v.ms]);
          chosen.set(`${t.label}\0${fn}`, v.chosen);
        }
        process.stderr.write(`${t.label} round ${round + 1}: ${JSON.stringify(r)}\n`);
      }
    }
    const rows = trees.map((t) => {
      const m = times.get(t.label)!;
      const cell = (fn: string) => `${median(m.get(fn)!).toFixed(0)} ms (${Math.min(...m.get(fn)!).toFixed(0)}–${Math.max(...m.get(fn)!).toFixed(0)})${chosen.get(`${t.label}\0${fn}`) ? `; ${chosen.get(`${t.label}\0${fn}`)}` : ''}`;
      return `| ${t.label} | ${cell('reach')} | ${cell('offsets')} | ${cell('both')} |`;
    });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const md = [
      '# The JavaScript/TypeScript class search in the server thread (issue 17, review of f54106f..main)',
      '',
      'Reproduce: `npm run bench -- inputs-search` (writes this file). Material: a temporary project whose package.json names',
      `this repository's dependencies (${Object.keys(deps).join(', ')}), installed (node_modules linked), and one file with two functions whose parameter is used only through methods:`,
      '`reach(g)` (`g.nodes()`, `g.successors(v)`: no class there has both) and `offsets(doc)` (`doc.getText()`, `doc.positionAt(i)`).',
      `Cold choice of inputs (chooseInputs: the first one reads the project and its dependencies), each version in a fresh process, ${ROUNDS} rounds in turn; median (min–max) and what was chosen. Load average at the end: ${load}.`,
      '',
      '| version | reach(g) | offsets(doc) | both (the first reads the project) |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'bench', 'inputs-search.md'), md);
    console.log(md);
  } finally {
    for (const t of trees) {
      if (!t.worktree) continue;
      execFileSync('git', ['worktree', 'remove', '--force', t.dir], { cwd: ROOT, stdio: 'ignore' });
      rmSync(t.dir, { recursive: true, force: true });
    }
    rmSync(project, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4]).catch((e) => {
  console.error(e);
  process.exit(1);
});
else main().catch((e) => {
  console.error(e);
  process.exit(1);
});
