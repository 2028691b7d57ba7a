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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collectFiles } from '../server/src/analysis/files';
import { benchmarkFunction, ExecutionError, type ExecLanguage } from '../server/src/execution';
import { extractFunction, resolveInputs, topLevelFunctions } from '../server/src/execution/extract';
import { languageById } from '../server/src/languages';
import { loadParserFactory, type ParserFactory } from '../server/src/parsing';
import { corpora, fetchCorpus } from './precision/fetch';

const ROOT = join(__dirname, '..');
const NAMES = (process.env.HOTPATH_INPUTS_CORPORA ?? 'networkx,lark,pyparsing,sqlparse,nltk,mathjs,dagre,graphlib').split(',');
const RUNS = Number(process.env.HOTPATH_INPUTS_RUNS ?? 12);
const BASELINE = process.env.HOTPATH_BASELINE ?? '60f04fe';

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

/** Can `engine` build inputs for the function? 'none': it takes no parameters (no size to grow). */
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
  file: string;
  language: ExecLanguage;
  name: string;
  untyped: boolean;
  before: 'yes' | 'no' | 'none';
  after: 'yes' | 'no' | 'none';
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
  try {
    for (const name of NAMES) {
      const c = corpora.find((x) => x.name === name);
      if (!c) throw new Error(`unknown corpus ${name}`);
      const dir = fetchCorpus(c);
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
          fns.push({ corpus: `${c.name} ${c.version}`, file: relative(dir, file), language, name: f.name, untyped, before: accepts(base.engine, language, source, f.name, file), after: accepts(now, language, source, f.name, file) });
        }
      }
      process.stderr.write(`${name}: ${fns.filter((f) => f.corpus.startsWith(name + ' ')).length} functions\n`);
    }
  } finally {
    base.cleanup();
  }

  // Acceptance per corpus: among functions with at least one required parameter.
  const rows: string[][] = [];
  const corpusNames = [...new Set(fns.map((f) => f.corpus))];
  const sum = { all: 0, before: 0, after: 0, untyped: 0, ubefore: 0, uafter: 0, none: 0 };
  for (const cn of corpusNames) {
    const mine = fns.filter((f) => f.corpus === cn);
    const sized = mine.filter((f) => f.after !== 'none' && f.before !== 'none');
    const untyped = sized.filter((f) => f.untyped);
    const row = {
      all: sized.length,
      before: sized.filter((f) => f.before === 'yes').length,
      after: sized.filter((f) => f.after === 'yes').length,
      untyped: untyped.length,
      ubefore: untyped.filter((f) => f.before === 'yes').length,
      uafter: untyped.filter((f) => f.after === 'yes').length,
      none: mine.length - sized.length,
    };
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += row[k];
    rows.push([cn, String(mine.length), String(row.none), String(row.all), `${row.before} (${pct(row.before, row.all)})`, `${row.after} (${pct(row.after, row.all)})`, String(row.untyped), `${pct(row.ubefore, row.untyped)} → ${pct(row.uafter, row.untyped)}`]);
  }
  rows.push(['**all**', String(fns.length), String(sum.none), String(sum.all), `${sum.before} (${pct(sum.before, sum.all)})`, `${sum.after} (${pct(sum.after, sum.all)})`, String(sum.untyped), `${pct(sum.ubefore, sum.untyped)} → ${pct(sum.uafter, sum.untyped)}`]);

  // A sample of accepted functions, run: evenly spaced through each corpus's accepted list.
  const runRows: string[][] = [];
  const outcomes = new Map<string, number>();
  let ran = 0;
  let fitted = 0;
  for (const cn of corpusNames) {
    const accepted = fns.filter((f) => f.corpus === cn && f.after === 'yes');
    const step = Math.max(1, accepted.length / RUNS);
    const sample = RUNS > 0 ? Array.from({ length: Math.min(RUNS, accepted.length) }, (_, i) => accepted[Math.floor(i * step)]) : [];
    for (const f of sample) {
      const dir = fetchCorpus(corpora.find((x) => cn.startsWith(x.name + ' '))!);
      const abs = join(dir, f.file);
      const source = readFileSync(abs, 'utf8');
      let outcome: string;
      let detail = '';
      try {
        const r = await benchmarkFunction({ language: f.language, source, functionName: f.name, file: abs }, { languages: languageById, parsers, budgetMs: 1500, limits: { perCallMs: 1000 } });
        const measured = r.points.filter((p) => !p.censored).length;
        outcome = measured >= 3 ? 'fit' : `too few sizes (${measured})`;
        detail = `${r.complexity}; ${r.inputs.params.map((p) => `${p.name}: ${p.type}`).join(', ')}`;
        if (measured >= 3) fitted++;
      } catch (e) {
        outcome = e instanceof ExecutionError ? `error: ${e.kind}` : 'error: internal';
        detail = (e as Error).message.split('\n')[0].slice(0, 140);
      }
      ran++;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      runRows.push([cn.split(' ')[0], `${f.file}:${f.name}`, outcome, detail.replace(/\|/g, '/').replace(/\/(tmp|root)\/[\w./-]+/g, '…')]);
      process.stderr.write(`${f.file}:${f.name}: ${outcome} ${detail}\n`);
    }
  }

  const md = [
    '# Inputs for functions without type hints (issue 17)',
    '',
    'Reproduce: `npm run bench -- inputs` (writes this file). Material: the pinned precision corpora',
    '(bench/precision/corpora.json, fetched by bench/precision/fetch.ts with pip/npm into ~/.cache/hotpath/precision-corpora):',
    `${NAMES.join(', ')} — real library code nobody on the team wrote. Baseline: ${BASELINE} (main before issue 17), built in a temporary worktree.`,
    '',
    '## Acceptance: top-level functions whose inputs Hotpath builds with no change to the code',
    '',
    'Counted over top-level functions with at least one required parameter (those without one have',
    'no size to grow and need a generator in either version: column "no parameter"). "Untyped": no',
    'required parameter carries a declared type (annotation, JSDoc or docstring type).',
    '',
    table(['corpus', 'top-level functions', 'no parameter', 'with parameters', 'accepted before', 'accepted after', 'untyped', 'untyped accepted before → after'], rows),
    '',
    `## Running a sample of the accepted functions (${RUNS} per corpus, evenly spaced)`,
    '',
    'Each one benchmarked as the editor does it (default sizes, 1.5 s budget, 1 s per call), isolated as usual.',
    '"fit": at least three sizes measured and a class fitted. Errors are what the user would see; the',
    'corpora are unpacked without their dependencies (pip --no-deps, npm pack), so a module that needs',
    'one (lodash behind a `window._` fallback, @babel/runtime, matplotlib) fails to load here.',
    '',
    `Ran ${ran}: ${fitted} reached a fit (${pct(fitted, ran)}). Outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    table(['corpus', 'function', 'outcome', 'class and inputs, or the message'], runRows),
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'inputs.md'), md);
  console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
