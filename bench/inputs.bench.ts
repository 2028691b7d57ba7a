// Which functions of real code Hotpath can benchmark without help: the share of top-level
// functions whose inputs it can build (acceptance), before and after input inference from usage
// and named types, on the pinned precision corpora (bench/precision/corpora.json: code nobody on
// the team wrote); then a sample of the accepted functions actually run, and what became of them
// (a fit, or which error).
//
//   npm run bench -- inputs            writes bench/inputs.md (~10 minutes on 2 busy cores)
//   HOTPATH_BASELINE=<git ref>         the "before" build (default: 60f04fe, main before issue 17)
//   HOTPATH_INPUTS_RUNS=N              functions run per corpus (default 12; 0: acceptance only)
//   HOTPATH_INPUTS_CORPORA=a,b         corpora (default: networkx lark pyparsing sqlparse nltk mathjs dagre graphlib)
//   HOTPATH_INPUTS_DEPS=0              leave out the npm corpora's copies with their dependencies installed
//                                      (npm install --omit=dev into ~/.cache/hotpath/inputs-with-deps: what a user's checkout has)
//   HOTPATH_INPUTS_HELD_OUT=0          leave out the held-out packages (PyPI algorithms 1.0.1 and pygorithm 1.0.4, added
//                                      after the round-3 work on example inputs was done: nobody looked at them while tuning)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collectFiles } from '../server/src/analysis/files';
import { benchmarkFunction, ExecutionError, type ExecLanguage } from '../server/src/execution';
import { chooseInputs } from '../server/src/execution/examples';
import { extractFunction, parseSource, resolveInputs, topLevelFunctions } from '../server/src/execution/extract';
import { languageById } from '../server/src/languages';
import { loadParserFactory, type ParserFactory } from '../server/src/parsing';
import { corpora, fetchCorpus, type Corpus } from './precision/fetch';

const ROOT = join(__dirname, '..');
const NAMES = (process.env.HOTPATH_INPUTS_CORPORA ?? 'networkx,lark,pyparsing,sqlparse,nltk,mathjs,dagre,graphlib').split(',');
const RUNS = Number(process.env.HOTPATH_INPUTS_RUNS ?? 12);
const BASELINE = process.env.HOTPATH_BASELINE ?? '60f04fe';
/** Real algorithm code added at the end, after tuning, and reported on its own: the honest figure. */
const HELD_OUT: Corpus[] = [
  { name: 'algorithms', ecosystem: 'pypi', version: '1.0.1', roots: ['.'], exclude: ['tests/', 'test_*.py'], what: 'Pythonic data structures and algorithms (keon/algorithms)' },
  // Added after the first: algorithms 1.0.1 turned out annotated (551 of 573 functions), this one is not.
  { name: 'pygorithm', ecosystem: 'pypi', version: '1.0.4', roots: ['.'], exclude: ['tests/', 'test_*.py'], what: 'a Python algorithms module for learning' },
];
const WITH_HELD_OUT = process.env.HOTPATH_INPUTS_HELD_OUT !== '0';
const WITH_DEPS = process.env.HOTPATH_INPUTS_DEPS !== '0';
const DEPS_SUFFIX = ' + dependencies';

/**
 * An npm corpus as a user's checkout has it: a copy of the unpacked package with its runtime
 * dependencies installed (`npm install --omit=dev --ignore-scripts`, versions as the package's
 * ranges resolve today: listed in the report). The corpus itself stays as precision uses it.
 */
function withDependencies(c: Corpus): { dir: string; installed: string[] } {
  const dir = join(homedir(), '.cache', 'hotpath', 'inputs-with-deps', `${c.name}-${c.version}`);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(fetchCorpus(c), dir, { recursive: true });
    execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--silent'], { cwd: dir, stdio: 'ignore' });
    writeFileSync(join(dir, '.complete'), '');
  }
  const installed: string[] = [];
  const nm = join(dir, 'node_modules');
  for (const e of existsSync(nm) ? readdirSync(nm).sort() : []) {
    for (const name of e.startsWith('@') ? readdirSync(join(nm, e)).map((x) => `${e}/${x}`) : e.startsWith('.') ? [] : [e]) {
      try {
        installed.push(`${name} ${JSON.parse(readFileSync(join(nm, name, 'package.json'), 'utf8')).version}`);
      } catch {
        // not a package
      }
    }
  }
  return { dir, installed };
}

type Extract = typeof extractFunction;
type Resolve = typeof resolveInputs;
interface Engine {
  parsers: ParserFactory;
  languageById: typeof languageById;
  extractFunction: Extract;
  resolveInputs: Resolve;
}

function languageOf(file: string): ExecLanguage | undefined {
  if (file.endsWith('.py')) return 'python';
  if (/\.(m|c)?js$/.test(file)) return 'javascript';
  if (/\.tsx?$/.test(file) && !file.endsWith('.d.ts')) return 'typescript';
  return undefined;
}

/** Where the inputs come from, when they can be built: 'none': the function takes no parameters (no size to grow). */
type Source = 'no' | 'none' | 'declared' | 'doctest' | 'test' | 'call site' | 'class' | 'usage' | 'name';

/** Can `engine` build inputs for the function (its types only, as the baseline and round 2 did)? */
function accepts(engine: Engine, language: ExecLanguage, source: string, name: string, file: string): 'yes' | 'no' | 'none' {
  const lang = engine.languageById(language).execution;
  let fn: ReturnType<Extract>;
  try {
    fn = engine.extractFunction(engine.parsers, lang, source, name, [], file);
  } catch {
    return 'no';
  }
  if (fn.params.every((p) => p.optional)) return 'none';
  try {
    engine.resolveInputs(fn, lang);
    return 'yes';
  } catch {
    return 'no';
  }
}

/** This build's choice, as the benchmark makes it (examples first, then types): which source, or why not. */
function sourceOf(parsers: ParserFactory, language: ExecLanguage, source: string, name: string, file: string): { source: Source; why?: string } {
  const lang = languageById(language).execution;
  let fn: ReturnType<Extract>;
  try {
    fn = extractFunction(parsers, lang, source, name, [], file);
  } catch (e) {
    return { source: 'no', why: (e as Error).message };
  }
  if (fn.params.every((p) => p.optional)) return { source: 'none' };
  try {
    const c = chooseInputs(fn, lang, { parse: (t) => parseSource(parsers, lang.grammar(file), t), parseWith: (g, t) => parseSource(parsers, g, t), file, source });
    if ('example' in c) return { source: c.example.source };
    const ps = c.description.params;
    return { source: ps.some((p) => p.source === 'usage') ? 'usage' : ps.some((p) => p.source === 'name') ? 'name' : 'declared' };
  } catch (e) {
    return { source: 'no', why: (e as Error).message };
  }
}

/** The refusal's class, for the table of reasons: what stopped each parameter. */
function reasonOf(why: string): string {
  if (!why.startsWith('cannot build an input')) return why.split(':')[0].slice(0, 60);
  const kinds = new Set<string>();
  for (const m of why.matchAll(/'\w+' \(([^)]*\)?[^)]*)\)/g)) kinds.add(/nothing in the function/.test(m[1]) ? 'a parameter nothing in the function describes (only passed on)' : /its uses/.test(m[1]) ? 'an object used through methods no class of the project (built by a doctest, by its constructor or by a function of the project) has' : 'a declared type Hotpath cannot build');
  return [...kinds].sort().join(' + ') || 'other';
}

/** The baseline's extraction and languages, from a temporary worktree of `ref` (node_modules linked; this build's parsers). */
async function baselineEngine(ref: string, parsers: ParserFactory): Promise<{ engine: Engine; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-inputs-baseline-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const extract = await import(join(dir, 'server/src/execution/extract.ts'));
  const languages = await import(join(dir, 'server/src/languages/index.ts'));
  return {
    engine: { parsers, // the grammars are the same; the baseline's are not built
       languageById: languages.languageById, extractFunction: extract.extractFunction, resolveInputs: extract.resolveInputs },
    cleanup: () => {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Fn {
  corpus: string;
  heldOut: boolean;
  /** An npm corpus's copy with its dependencies installed. */
  deps: boolean;
  file: string;
  language: ExecLanguage;
  name: string;
  untyped: boolean;
  /** The baseline (before issue 17). */
  before: 'yes' | 'no' | 'none';
  /** This build's types only (declared, usage, names): what round 2 accepted. */
  typesOnly: 'yes' | 'no' | 'none';
  /** This build: examples (doctests, tests, call sites, classes) first, then types. */
  now: Source;
  why?: string;
}

function pct(a: number, b: number): string {
  return b ? `${((100 * a) / b).toFixed(1)}%` : '–';
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const parsers = await loadParserFactory();
  const now: Engine = { parsers, languageById, extractFunction, resolveInputs };
  const base = await baselineEngine(BASELINE, parsers);
  const fns: Fn[] = [];
  const dirs = new Map<string, string>();
  const depsInstalled = new Map<string, string[]>();
  try {
    const list = NAMES.map((name) => {
      const c = corpora.find((x) => x.name === name);
      if (!c) throw new Error(`unknown corpus ${name}`);
      return c;
    });
    const variants = [...list.map((c) => ({ c, deps: false })), ...(WITH_DEPS ? list.filter((c) => c.ecosystem === 'npm').map((c) => ({ c, deps: true })) : []), ...(WITH_HELD_OUT ? HELD_OUT.map((c) => ({ c, deps: false })) : [])];
    for (const { c, deps } of variants) {
      const label = `${c.name} ${c.version}${deps ? DEPS_SUFFIX : ''}`;
      let dir = fetchCorpus(c);
      if (deps) {
        const w = withDependencies(c);
        dir = w.dir;
        depsInstalled.set(label, w.installed);
      }
      dirs.set(label, dir);
      const files = collectFiles(c.roots.map((r) => join(dir, r)), (f) => !!languageOf(f), c.exclude, false);
      for (const file of files) {
        const language = languageOf(file)!;
        const source = readFileSync(file, 'utf8');
        if (source.length > 500_000) continue;
        const lang = languageById(language).execution;
        let tops;
        try {
          tops = topLevelFunctions(parsers, lang, source, file);
        } catch {
          continue;
        }
        for (const f of tops) {
          let untyped = true;
          try {
            untyped = extractFunction(parsers, lang, source, f.name, [], file).params.every((p) => p.optional || !p.annotation);
          } catch {
            // counted as not accepted below
          }
          const chosen = sourceOf(parsers, language, source, f.name, file);
          fns.push({ corpus: label, heldOut: HELD_OUT.includes(c), deps, file: relative(dir, file), language, name: f.name, untyped, before: accepts(base.engine, language, source, f.name, file), typesOnly: accepts(now, language, source, f.name, file), now: chosen.source, why: chosen.why });
        }
      }
      process.stderr.write(`${label}: ${fns.filter((f) => f.corpus === label).length} functions\n`);
    }
  } finally {
    base.cleanup();
  }

  // Acceptance per corpus: among functions with at least one required parameter.
  const ok = (s: Source) => s !== 'no' && s !== 'none';
  const corpusNames = [...new Set(fns.map((f) => f.corpus))];
  const SOURCES: Source[] = ['declared', 'doctest', 'test', 'call site', 'class', 'usage', 'name'];
  const acceptance = (group: Fn[], label: string) => {
    const sized = group.filter((f) => f.now !== 'none' && f.before !== 'none');
    const untyped = sized.filter((f) => f.untyped);
    const n = (xs: Fn[], p: (f: Fn) => boolean) => xs.filter(p).length;
    const cell = (xs: Fn[], p: (f: Fn) => boolean) => `${n(xs, p)} (${pct(n(xs, p), xs.length)})`;
    return {
      row: [label, String(group.length), String(group.length - sized.length), String(sized.length), cell(sized, (f) => f.before === 'yes'), cell(sized, (f) => f.typesOnly === 'yes'), cell(sized, (f) => ok(f.now)), String(untyped.length), `${pct(n(untyped, (f) => f.before === 'yes'), untyped.length)} → ${pct(n(untyped, (f) => f.typesOnly === 'yes'), untyped.length)} → **${pct(n(untyped, (f) => ok(f.now)), untyped.length)}**`],
      sources: [label, ...SOURCES.map((src) => { const a = sized.filter((f) => f.now === src); const unlocked = a.filter((f) => f.typesOnly !== 'yes').length; return a.length ? `${a.length}${unlocked ? ` (${unlocked} new)` : ''}` : '–'; })],
    };
  };
  const tuned = fns.filter((f) => !f.heldOut && !f.deps);
  const heldOut = fns.filter((f) => f.heldOut);
  const rows = corpusNames.filter((cn) => !heldOut.some((f) => f.corpus === cn) && !cn.endsWith(DEPS_SUFFIX)).map((cn) => acceptance(fns.filter((f) => f.corpus === cn), cn));
  rows.push(acceptance(tuned, '**all eight**'));
  // The same eight with the npm packages' dependencies installed (the Python ones as they are).
  const withDeps = corpusNames.filter((cn) => cn.endsWith(DEPS_SUFFIX));
  for (const cn of withDeps) rows.push(acceptance(fns.filter((f) => f.corpus === cn), cn));
  if (withDeps.length) rows.push(acceptance(fns.filter((f) => !f.heldOut && (f.deps || !withDeps.includes(f.corpus + DEPS_SUFFIX))), '**all eight, npm packages with their dependencies**'));
  for (const h of HELD_OUT) {
    const mine = heldOut.filter((f) => f.corpus === `${h.name} ${h.version}`);
    if (mine.length) rows.push(acceptance(mine, `**held out: ${h.name} ${h.version}**`));
  }

  // Why the rest is refused (untyped functions with parameters, this build).
  const reasons = new Map<string, number>();
  for (const f of tuned) if (f.untyped && f.now === 'no' && f.before !== 'none') reasons.set(reasonOf(f.why ?? ''), (reasons.get(reasonOf(f.why ?? '')) ?? 0) + 1);

  // A sample of accepted functions, run: evenly spaced through each corpus's accepted list.
  const runRows: string[][] = [];
  const runs = { all: new Map<string, number>(), heldOut: new Map<string, number>(), deps: new Map<string, number>() };
  const tally = { ran: 0, fitted: 0, heldRan: 0, heldFitted: 0, depsRan: 0, depsFitted: 0, exampleRan: 0, exampleFitted: 0, checked: 0, unstable: 0 };
  for (const cn of corpusNames) {
    const accepted = fns.filter((f) => f.corpus === cn && ok(f.now));
    const step = Math.max(1, accepted.length / RUNS);
    const sample = RUNS > 0 ? Array.from({ length: Math.min(RUNS, accepted.length) }, (_, i) => accepted[Math.floor(i * step)]) : [];
    for (const f of sample) {
      const dir = dirs.get(cn)!;
      const abs = join(dir, f.file);
      const source = readFileSync(abs, 'utf8');
      let outcome: string;
      let detail = '';
      try {
        const r = await benchmarkFunction({ language: f.language, source, functionName: f.name, file: abs }, { languages: languageById, parsers, budgetMs: 1500, limits: { perCallMs: 1000 } });
        const measured = r.points.filter((p) => !p.censored).length;
        outcome = measured >= 3 ? 'fit' : `too few sizes (${measured})`;
        if (outcome === 'fit' && r.stability) {
          tally.checked++;
          if (!r.stability.stable) tally.unstable++;
        }
        const ex = r.inputs.example;
        detail = `${r.complexity}${r.stability && !r.stability.stable ? ` (unstable: a second sweep fitted ${r.stability.complexity})` : ''}; ${ex ? `${ex.source} ${ex.where}: ${ex.call}` : r.inputs.params.map((p) => `${p.name}: ${p.type}`).join(', ')}`;
      } catch (e) {
        outcome = e instanceof ExecutionError ? `error: ${e.kind}` : 'error: internal';
        detail = (e as Error).message.split('\n')[0].slice(0, 140);
      }
      const fit = outcome === 'fit' ? 1 : 0;
      if (f.deps) {
        tally.depsRan++;
        tally.depsFitted += fit;
      } else {
        tally.ran++;
        tally.fitted += fit;
      }
      if (f.heldOut) {
        tally.heldRan++;
        tally.heldFitted += fit;
      }
      if (!f.deps && ['doctest', 'test', 'call site', 'class'].includes(f.now)) {
        tally.exampleRan++;
        tally.exampleFitted += fit;
      }
      const m = f.heldOut ? runs.heldOut : f.deps ? runs.deps : runs.all;
      m.set(outcome, (m.get(outcome) ?? 0) + 1);
      runRows.push([cn.split(' ')[0] + (f.deps ? ' + deps' : ''), `${f.file}:${f.name}`, f.now, outcome, detail.replace(/\|/g, '/').replace(/\/(tmp|root)\/[\w./-]+/g, '…').replace(/\s+/g, ' ')]);
      process.stderr.write(`${f.file}:${f.name}: ${f.now} ${outcome} ${detail}\n`);
    }
  }
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');

  const md = [
    '# Inputs for functions without type hints (issue 17)',
    '',
    'Reproduce: `npm run bench -- inputs` (writes this file). Material: the pinned precision corpora',
    '(bench/precision/corpora.json, fetched by bench/precision/fetch.ts with pip/npm into ~/.cache/hotpath/precision-corpora):',
    `${NAMES.join(', ')} — real library code nobody on the team wrote. Baseline: ${BASELINE} (main before issue 17), built in a temporary worktree.`,
    `The input sources of round 3 (doctests, tests, call sites, classes) were developed and checked against these eight, so their figures are tuned figures; so were round 4's (types of parameters only passed on, classes built by their constructor), round 5's (JavaScript/TypeScript objects built as the workspace builds their class and grown through its own mutating methods) and round 6's (objects a project function with a declared return type gives for a string the project's code or documentation passes it — sqlparse's README in its wheel's METADATA: \`sqlparse.parse("select id, name from users where active = 1")[0]\`; JavaScript objects only passed on, to a function of the module or one it \`require\`s; byte streams), with the held-out packages below not looked at while building them.`,
    WITH_DEPS
      ? `**Two countings since round 5.** The rows and totals without a suffix count the packages as unpacked (pip --no-deps, npm pack), as rounds 2–4 did. The rows "${DEPS_SUFFIX}" count the npm corpora again in a copy with their runtime dependencies installed (\`npm install --omit=dev --ignore-scripts\`, as a user's checkout of the package has them; Python corpora unchanged), and "all eight, npm packages with their dependencies" totals those with the Python corpora: dagre's graphs are graphlib's Graph, a class of a dependency, which only the second counting can find. Installed: ${[...depsInstalled].map(([k, v]) => `${k.replace(DEPS_SUFFIX, '')}: ${v.join(', ')}`).join('; ')}.`
      : '',
    WITH_HELD_OUT
      ? `**Held out**: ${HELD_OUT.map((h) => `${h.name} ${h.version} from PyPI (${h.what})`).join('; ')}, added to this benchmark only after that work was finished and not looked at before their first run here: their rows are the honest figures for code Hotpath was not tuned on (algorithms came first and turned out annotated, so pygorithm, a py2.py3 wheel and so without annotations, was added after it, also unseen).`
      : '',
    '',
    '## Acceptance: top-level functions whose inputs Hotpath builds with no change to the code',
    '',
    'Counted over top-level functions with at least one required parameter (those without one have',
    'no size to grow and need a generator in either version: column "no parameter"). "Untyped": no',
    'required parameter carries a declared type (annotation, JSDoc or docstring type). "Types only":',
    "this build's declared and inferred types without the example sources and without reading the project's other modules (round 2's inference plus round 3's rule that a never-read parameter gets None and round 4's in-module rules: isinstance/typeof tests, compiled patterns, text formatting, collection members; round 2 itself measured 42.9% untyped, round 3 44.2%);",
    '"now": examples first (doctest, test, call site, class), then types — what the benchmark does.',
    '',
    table(['corpus', 'top-level functions', 'no parameter', 'with parameters', 'accepted before', 'types only', 'now', 'untyped', 'untyped accepted: before → types only → now'], rows.map((r) => r.row)),
    '',
    '## Where the inputs came from',
    '',
    'Accepted functions by the source of their inputs; "(k new)": k of them are accepted only thanks to that',
    'source (types only refused them). doctest: a `>>>` call in the module; test: a call in the project\'s',
    'tests; call site: any other call in the project; class: an object used through its methods, built',
    "from the project's class that has them, as a doctest builds it (round 3) or, when no doctest does, by its constructor with generated arguments (round 4), or (JavaScript/TypeScript, round 5) a class of the project or of an installed dependency, constructed as the workspace constructs it and grown through its own mutating methods with the argument shapes the workspace's calls use, or (Python, round 5) a text stream of n lines (io.StringIO; round 6: io.BytesIO when the function opens or writes bytes) for a parameter used only as a file, or (Python, round 6) an object a project function whose declared return type is the class returns, called with the string the project's code or documentation (README, a wheel's METADATA) passes it, repeated to n characters; usage/name: inferred types (usage includes round 4's type a callee of the project needs, for a parameter only passed on).",
    '',
    table(['corpus', ...SOURCES], rows.map((r) => r.sources)),
    '',
    '## Why the rest is refused (untyped functions with parameters)',
    '',
    table(['reason', 'functions'], [...reasons].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)])),
    '',
    `## Running a sample of the accepted functions (${RUNS} per corpus, evenly spaced)`,
    '',
    'Each one benchmarked as the editor does it (default sizes, 1.5 s budget, 1 s per call), isolated as usual.',
    '"fit": at least three sizes measured and a class fitted. Errors are what the user would see; the',
    'corpora are unpacked without their dependencies (pip --no-deps, npm pack), so a module that needs',
    'one (lodash behind a `window._` fallback, @babel/runtime, matplotlib, numpy) fails here; rows "+ deps" are',
    'the npm corpora\'s copies with their dependencies installed (their own sample of their own accepted functions).',
    '',
    `Of the accepted, run to a fit: **${tally.fitted - tally.heldFitted} of ${tally.ran - tally.heldRan} (${pct(tally.fitted - tally.heldFitted, tally.ran - tally.heldRan)})** on the eight corpora (${list(runs.all)}); ` +
      (tally.heldRan ? `**${tally.heldFitted} of ${tally.heldRan} (${pct(tally.heldFitted, tally.heldRan)})** on the held-out packages (${list(runs.heldOut)}); ` : '') +
      `inputs from examples: ${tally.exampleFitted} of ${tally.exampleRan} (${pct(tally.exampleFitted, tally.exampleRan)}).` +
      ` Of all the fits (every row), ${tally.checked} were checked by a second independent sweep (the same sizes, fresh processes, inputs of the next seed) and **${tally.unstable} (${pct(tally.unstable, tally.checked)}) came out unstable** (the two fits disagree: marked in the table).` +
      (tally.depsRan ? ` The npm corpora with their dependencies installed (rows "+ dependencies", a sample of their own accepted functions): **${tally.depsFitted} of ${tally.depsRan} (${pct(tally.depsFitted, tally.depsRan)})** (${list(runs.deps)}).` : ''),
    '',
    table(['corpus', 'function', 'inputs from', 'outcome', 'class and inputs, or the message'], runRows),
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'inputs.md'), md);
  console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
