// `hotpath check [paths…]`: static efficiency findings, as text, JSON or SARIF 2.1.0.
import { VERSION } from '../version';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { buildId, CACHE_DIR_NAME, DEFAULT_CACHE_BYTES, ResultCache } from '../analysis/cache';
import { CODE_FORM, CODE_FORM_TEXT } from '../analysis/codeList';
import { isEnabled, isExcluded, loadProjectConfig, type RuleSelection } from '../analysis/config';
import { analyseJob, type AnalysisJob, type AnalysisResult } from '../analysis/job';
import { AnalysisPool, CHECK_SEMI_SPACE_MB, setWorkerSemiSpace, workersFor } from '../analysis/pool';
import { lineColumn, positionsOf } from '../analysis/positions';
import type { Severity } from '../analysis/rule';
import { readSourceText } from '../analysis/sourceFile';
import { visibleFindings } from '../analysis/visible';
import { allRules, languageForPath, type LanguageSpec } from '../languages';
import { loadParserFactory, type BackendName, type GrammarName, type Parser, type ParserFactory } from '../parsing';
import { grammarsDir } from '../parsing/wasm';
import { collectFiles } from '../analysis/files';
import { UsageError } from './args';
import type { IsolationSetting } from '../execution';
import { detectIsolation, ISOLATION_SETTINGS, isIsolationSetting } from '../execution/isolation';
import { hasValgrind } from '../execution';
import { displayPathOf, syntaxFinding, type FileFindings, type SkippedFile } from './findings';
import { diffSummary, fixFiles, fixSummary } from './fix';
import { toJson } from './json';
import { toSarif } from './sarif';
import { summary, textLine } from './text';
import { sandboxRefusal, verifyFindings } from './verify';

export const usage = `Usage: hotpath check [paths…] [options]

Report efficiency findings in files and directories (default: the current directory).
Directories are walked honouring .gitignore.

Options:
  --format text|json|sarif   output format (default: text)
  --select CODES             only these rule codes or prefixes (comma-separated, e.g. HP1,HP201)
  --ignore CODES             skip these rule codes or prefixes
  --parser wasm|native|auto  tree-sitter backend (default: wasm when the files hold 1 M
                             characters of source or more, else auto; auto = native when it
                             loads, else wasm)
  --max-file-size KB         skip larger files (default: 2048)
  --fix                      apply the safe fixes (rules marked safe: \`hotpath rule CODE\`),
                             round after round as the editor's "Fix all" does, writing each
                             file back in its own encoding and line ends; then report what remains
  --diff                     print a unified diff of what --fix would change; write nothing
                             (exit 1 when there is a change, 2 when a file could not be fixed)
  --exit-zero                exit 0 even when there are findings
  --fail-on LEVEL            exit 1 only for findings of this severity or above: error,
                             warning, information or hint (default: hint, any finding)
  --no-progress              no progress line on stderr
  --jobs N                   worker threads (default: the number of cores; 1 = none)
  --no-cache                 analyse every file, neither reading nor writing the cache
  --cache-dir DIR            the result cache (default: .hotpath_cache in the current
                             directory, or $HOTPATH_CACHE_DIR)
  --verbose                  say on stderr how the files were checked (threads, cache)
  --verify                   measure before warning: run the top-level function holding each
                             size-dependent finding (every warning, and information that says
                             "measure it with Benchmark") at growing sizes on synthesized inputs,
                             in a sandbox (this runs the code). A warning only where the time
                             grows faster than linearly, attributable to the finding's line, in a
                             function that does not itself document that cost ("naive", a stated
                             O(n²)); everything else is information saying why: measured linear,
                             a product of independent sizes, other superlinear work, documented,
                             or not measured (with the static severity and the reason). Refused
                             when no sandbox is available
  --isolation KIND           sandbox for --verify: auto (default), bwrap, unshare, sandbox-exec,
                             appcontainer, or none (needs --allow-unsandboxed)
  --allow-unsandboxed        let --verify run the code with your rights when no sandbox is available
  --verify-budget S          wall-clock seconds for the whole verification (default 120; none
                             with --verify-instructions)
  --verify-function-ms MS    sweep budget of one function, CPU ms (default 1500); with
                             --verify-instructions, 50,000 counted instructions a ms (default 5000)
  --verify-instructions      --verify counting CPU instructions with callgrind instead of timing
                             (Python; needs valgrind; JavaScript is still timed): the same counts,
                             sizes and verdicts on every run with the same Python, glibc and CPU
                             architecture, for CI, at ~50x the wall time of a timed run; a warning
                             says when a wall-clock limit cut a measurement

Exit status: 0 no findings (at --fail-on's level), 1 findings, 2 usage or input errors, or
a file --fix could not write (whatever --exit-zero and --fail-on say).`;

interface Options {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  cli: RuleSelection;
  /** Undefined: chosen by the size of the files (`parserFor`). */
  parser: 'auto' | 'wasm' | 'native' | undefined;
  maxBytes: number;
  exitZero: boolean;
  /** The least severe finding that makes the exit status 1. */
  failOn: Severity;
  progress: boolean;
  jobs: number | undefined;
  cache: boolean;
  cacheDir: string | undefined;
  verbose: boolean;
  verify: boolean;
  verifyBudgetMs: number | undefined;
  verifyFunctionMs: number | undefined;
  verifyMetric: 'time' | 'instructions';
  isolation: IsolationSetting;
  allowUnsandboxed: boolean;
  /** --fix: write the safe fixes; --diff: show them. */
  fix: 'write' | 'diff' | undefined;
}

/** `--select`/`--ignore` CODES: each a known rule code or a prefix of one (a typo would silently check nothing). */
function codes(value: string | undefined, flag: string): string[] {
  if (!value) throw new UsageError(`${flag} needs a value`);
  const list = value.split(',').map((c) => c.trim()).filter(Boolean);
  const known = allRules().map((r) => r.code.toUpperCase());
  for (const c of list) {
    const upper = c.toUpperCase();
    if (upper === 'ALL' || (CODE_FORM.test(c) && known.some((k) => k.startsWith(upper)))) continue;
    throw new UsageError(`${flag}: unknown rule code or prefix '${c}' (give ${CODE_FORM_TEXT}; \`hotpath rule --all\` lists the rules)`);
  }
  return list;
}

/** Severities from the most to the least severe (--fail-on). */
const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

export function parseArgs(argv: string[]): Options {
  const o: Options = { paths: [], format: 'text', cli: { select: [], ignore: [], exclude: [] }, parser: undefined, maxBytes: 2048 * 1024, exitZero: false, failOn: 'hint', progress: true, jobs: undefined, cache: true, cacheDir: undefined, verbose: false, verify: false, verifyBudgetMs: undefined, verifyFunctionMs: undefined, verifyMetric: 'time', isolation: 'auto', allowUnsandboxed: false, fix: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
        o.format = f;
        break;
      }
      case '--select':
        o.cli.select = codes(value(), '--select');
        break;
      case '--ignore':
        o.cli.ignore = codes(value(), '--ignore');
        break;
      case '--parser': {
        const p = value();
        if (p !== 'auto' && p !== 'wasm' && p !== 'native') throw new UsageError(`unknown parser '${p}'`);
        o.parser = p;
        break;
      }
      case '--max-file-size': {
        const kb = Number(value());
        if (!Number.isFinite(kb) || kb <= 0) throw new UsageError('--max-file-size needs a positive number of KB');
        o.maxBytes = kb * 1024;
        break;
      }
      case '--fix':
        o.fix ??= 'write';
        break;
      case '--diff':
        o.fix = 'diff';
        break;
      case '--exit-zero':
        o.exitZero = true;
        break;
      case '--fail-on': {
        const level = value();
        if (!SEVERITY_ORDER.includes(level as Severity)) throw new UsageError(`--fail-on must be one of ${SEVERITY_ORDER.join(', ')}`);
        o.failOn = level as Severity;
        break;
      }
      case '--no-progress':
        o.progress = false;
        break;
      case '--jobs': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new UsageError('--jobs needs a whole number of at least 1');
        o.jobs = n;
        break;
      }
      case '--no-cache':
        o.cache = false;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--verify':
        o.verify = true;
        break;
      case '--verify-budget': {
        const s = Number(value());
        if (!Number.isFinite(s) || s <= 0) throw new UsageError('--verify-budget needs a positive number of seconds');
        o.verifyBudgetMs = s * 1000;
        break;
      }
      case '--verify-function-ms': {
        const ms = Number(value());
        if (!Number.isFinite(ms) || ms <= 0) throw new UsageError('--verify-function-ms needs a positive number of milliseconds');
        o.verifyFunctionMs = ms;
        break;
      }
      case '--verify-instructions':
        o.verify = true;
        o.verifyMetric = 'instructions';
        break;
      case '--isolation': {
        const k = value();
        if (!isIsolationSetting(k)) throw new UsageError(`--isolation must be one of ${ISOLATION_SETTINGS.join(', ')}`);
        o.isolation = k;
        break;
      }
      case '--allow-unsandboxed':
        o.allowUnsandboxed = true;
        break;
      case '--cache-dir': {
        const dir = value();
        if (!dir) throw new UsageError('--cache-dir needs a directory');
        o.cacheDir = dir;
        break;
      }
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        // An empty argument (an unset shell variable, `hotpath check "$DIR"`) must not check the working directory.
        if (a === '') throw new UsageError('an empty path was given');
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) o.paths.push('.');
  if (o.fix && o.verify) throw new UsageError('--fix and --diff do not combine with --verify');
  if (o.fix === 'diff' && o.format !== 'text') throw new UsageError('--diff prints a diff: --format does not apply');
  return o;
}

export interface CheckOptions {
  parser?: Options['parser'];
  maxBytes?: number;
  cli?: RuleSelection;
  warn?: (m: string) => void;
  /** Told of each file that is not analysed (not a source file, too large, not UTF-8, not a regular file…) and why. */
  onSkipped?: (skipped: SkippedFile) => void;
  /** Progress: called as each file's result is ready (in file order). */
  onFile?: (i: number, n: number, path: string) => void;
  /** Per-unit time budget (default UNIT_BUDGET_MS); benchmarks pass Infinity so that results do not depend on the machine's load. */
  unitBudgetMs?: number;
  /** Where results are cached by content (none: every file is analysed). */
  cache?: ResultCache;
  /** Worker threads (default 1: in this thread); the CLI passes the number of cores. */
  jobs?: number;
  /** Told how the files were checked: how many were analysed, in how many worker threads (0: this thread), how many came from the cache. */
  onPlan?: (plan: { files: number; analysed: number; workers: number; cached: number; parser: string }) => void;
  /** Loads the parsers (default loadParserFactory; tests pass one whose native backend fails). */
  loadParsers?: typeof loadParserFactory;
}

/** One file on its way through the check. */
interface Item {
  path: string;
  displayPath: string;
  spec?: LanguageSpec;
  text?: string;
  selections: (RuleSelection | undefined)[];
  job?: AnalysisJob;
  key?: string;
  result?: AnalysisResult;
  /** Why the file was not analysed, or why its analysis failed. */
  failed?: string;
  /** Warnings found while reading it (skipped, project configuration), printed in file order. */
  warnings: string[];
}

/** Below this much text to analyse, worker threads cost more to start than they save. */
const WORKER_MIN_BYTES = 256 * 1024;

/**
 * From this much source (UTF-16 characters) on, a check parses with WASM by default. Its trees are
 * the faster to copy (parsing/wasmCursor.ts: about 0.1 s less CPU per MB of Python than the native binding), but
 * loading it (compiling the runtime and a grammar, the first parses in baseline code) costs about
 * 0.1 s more than loading the native binding: a check of a few files is faster native.
 */
const WASM_MIN_CHARS = 1024 * 1024;

/**
 * The parser a check uses unless `--parser` says: by the size of all the files given (cached ones
 * included, so that the same command finds its cache entries again).
 */
export function parserFor(chars: number): 'wasm' | 'auto' {
  return chars >= WASM_MIN_CHARS ? 'wasm' : 'auto';
}

/**
 * Analyse files (in worker threads when `jobs` > 1 and there is enough to do; unchanged files from
 * the cache); problems with individual files are reported through `warn`, never thrown. Results and
 * warnings come in file order, whatever order the workers finish in.
 */
export async function checkFiles(paths: string[], opts: CheckOptions = {}): Promise<FileFindings[]> {
  const warn = opts.warn ?? (() => undefined);
  const files = collectFiles(paths, (p) => languageForPath(p) !== undefined, opts.cli?.exclude);
  const configs = new Map<string, { selection?: RuleSelection; error?: string }>();
  const told = new Set<string>();
  const items = files.map((path) => prepare(path, opts, configs, told));

  const parser = opts.parser ?? parserFor(items.reduce((n, i) => n + (i.job?.text.length ?? 0), 0));
  // The backend decides the cache keys (backends recover from syntax errors differently), so it is
  // the one actually loaded: 'auto' falls back to WASM when the native binding or a grammar fails.
  // WASM, the slow one to load, is loaded only when a file is to be analysed.
  const load = opts.loadParsers ?? loadParserFactory;
  const grammars = [...new Set(items.flatMap((i) => (i.job ? [i.spec!.grammar] : [])))];
  let factory: ParserFactory | undefined = parser === 'wasm' || grammars.length === 0 ? undefined : await load(parser, grammars);
  const backend: BackendName = factory?.backend ?? 'wasm';
  // Unchanged files: their results from the cache.
  for (const item of items) {
    if (!item.job || !opts.cache) continue;
    item.key = opts.cache.keyOf(item.job, backend);
    item.result = opts.cache.get(item.key);
  }
  const todo = items.filter((i) => i.job && !i.result);
  const bytes = todo.reduce((n, i) => n + i.job!.text.length, 0);
  const workers = bytes >= WORKER_MIN_BYTES ? workersFor(todo.length, opts.jobs ?? 1) : 0;
  opts.onPlan?.({ files: items.length, analysed: todo.length, workers: workers > 1 ? workers : 0, cached: items.filter((i) => i.result).length, parser: backend });

  let flushed = 0;
  const results: FileFindings[] = [];
  const flush = () => {
    while (flushed < items.length && (items[flushed].result || items[flushed].failed !== undefined || !items[flushed].job)) {
      const item = items[flushed];
      opts.onFile?.(flushed, items.length, item.path);
      const out = present(item, warn, backend);
      if (out) results.push(out);
      flushed++;
    }
  };
  const store = (item: Item, result: AnalysisResult, usedBackend: string) => {
    item.result = result;
    if (opts.cache && item.key && usedBackend === backend) opts.cache.put(item.key, result);
  };

  if (workers > 1) {
    setWorkerSemiSpace(CHECK_SEMI_SPACE_MB);
    const pool = new AnalysisPool(workers, { parser: backend });
    try {
      // Largest first, so that no worker is left with a big file at the end.
      const order = [...todo].sort((a, b) => b.job!.text.length - a.job!.text.length);
      await Promise.all(order.map((item) => pool.run(item.job!).then(
        ({ result, backend: used }) => store(item, result, used),
        (err: Error) => (item.failed = `${item.displayPath}: could not be analysed: ${err.message}`),
      ).then(flush)));
    } finally {
      await pool.close();
    }
  } else if (todo.length > 0) {
    factory ??= await load('wasm', [...new Set(todo.map((i) => i.spec!.grammar))]);
    const parsers = new Map<GrammarName, Parser>();
    for (const item of todo) {
      let parser = parsers.get(item.spec!.grammar);
      if (!parser) parsers.set(item.spec!.grammar, (parser = factory.create(item.spec!.grammar)));
      store(item, analyseJob(item.spec!, parser, item.job!), factory.backend);
      flush();
    }
  }
  flush();
  opts.cache?.prune();
  return results;
}

/** Read a file and its project configuration: the job to run, or why there is none. */
function prepare(path: string, opts: CheckOptions, configs: Map<string, { selection?: RuleSelection; error?: string }>, told: Set<string>): Item {
  const displayPath = displayPathOf(path);
  const item: Item = { path, displayPath, selections: [], warnings: [] };
  const skip = (reason: string) => {
    item.warnings.push(`${displayPath}: skipped, ${reason}`);
    opts.onSkipped?.({ path, displayPath, reason });
    return item;
  };
  const spec = languageForPath(path);
  // Only a path named on the command line gets here without a source file's extension (the walk takes source files only).
  if (!spec) return skip('not a Python, JavaScript or TypeScript file');
  const source = readSourceText(path, opts.maxBytes ?? 2048 * 1024, spec.decodeSource);
  if (source.skipped !== undefined) return skip(`${source.skipped}${source.skipped.includes('size limit') ? ' (--max-file-size)' : ''}`);
  const dir = dirname(path);
  let config = configs.get(dir);
  if (!config) {
    try {
      config = { selection: loadProjectConfig(path) };
    } catch (err) {
      config = { error: (err as Error).message };
    }
    configs.set(dir, config);
  }
  if (config.error !== undefined) item.warnings.push(config.error);
  const project = config.selection;
  // A value of the wrong type in the project file (codeList.ts): corrected, and said once per run.
  for (const p of project?.problems ?? []) {
    if (told.has(p)) continue;
    told.add(p);
    item.warnings.push(p);
  }
  if (project && isExcluded(path, project)) return item;
  item.spec = spec;
  item.text = source.text;
  item.selections = [project, opts.cli];
  // Only the rules the selections enable run (their findings do not depend on the others').
  const enabled = spec.rules.filter((r) => isEnabled(r.code, ...item.selections)).map((r) => r.code);
  item.job = { language: spec.id, text: source.text, rules: enabled.length === spec.rules.length ? undefined : enabled, unitBudgetMs: opts.unitBudgetMs };
  return item;
}

/** One file's findings as the outputs show them, its warnings printed. */
function present(item: Item, warn: (m: string) => void, backend: BackendName): FileFindings | undefined {
  for (const w of item.warnings) warn(w);
  if (item.failed !== undefined) warn(item.failed);
  const { result, spec, text } = item;
  if (!result || !spec || text === undefined) return undefined;
  // Code that does not parse is reported whatever the selection (Ruff's invalid-syntax), then the findings of what parses.
  const syntax = result.syntax.map(syntaxFinding);
  const findings = [...syntax, ...visibleFindings(result.findings, text, spec.lineComment, item.selections)].sort((a, b) => a.startIndex - b.startIndex);
  for (const failure of result.failures) warn(`${item.displayPath}: rule ${failure.code} failed: ${failure.message}`);
  const positions = positionsOf(text);
  for (const skip of result.skipped) warn(`${item.displayPath}:${lineColumn(positions, skip.startIndex).line}: ${skip.message}`);
  return { path: item.path, displayPath: item.displayPath, text, positions, spec, findings, selections: item.selections, backend };
}

/** `--verify`: measure the size-dependent findings' functions and set their severity from it. */
async function verify(files: FileFindings[], o: Options, showProgress: boolean): Promise<void> {
  let unsandboxed = '';
  const wallLimited: string[] = [];
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  try {
    const summary = await verifyFindings(files, {
      parsers: await loadParserFactory('wasm'),
      // Counting instructions, no whole-verification wall budget unless asked: each sweep's counted budget bounds it.
      totalBudgetMs: o.verifyBudgetMs ?? (o.verifyMetric === 'instructions' ? Infinity : 120_000),
      functionBudgetMs: o.verifyFunctionMs,
      metric: o.verifyMetric,
      isolation: o.isolation,
      allowUnsandboxed: o.allowUnsandboxed,
      signal: ac.signal,
      onFunction: showProgress ? (i, n, label) => process.stderr.write(`\r\x1b[K[verify ${i + 1}/${n}] ${displayPathOf(label)}`.slice(0, process.stderr.columns ?? 120)) : undefined,
      onUnsandboxed: (d) => (unsandboxed = d),
      onWallLimit: (label, why) => wallLimited.push(`\`${label}\`: ${why}`),
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    if (unsandboxed) process.stderr.write(`hotpath check --verify: warning: ${unsandboxed}\n`);
    if (wallLimited.length) process.stderr.write(`hotpath check --verify-instructions: warning: a wall-clock limit, not the counted budget, decided where ${wallLimited.length} measurement${wallLimited.length === 1 ? '' : 's'} stopped (${wallLimited.slice(0, 3).join('; ')}${wallLimited.length > 3 ? '; …' : ''}): their verdicts can differ on another machine or load (a lower --verify-function-ms, a higher --verify-budget or a quieter machine avoids it)\n`);
    process.stderr.write(`hotpath: verified ${summary.candidates} size-dependent finding${summary.candidates === 1 ? '' : 's'} through ${summary.functions} function${summary.functions === 1 ? '' : 's'}: ${summary.confirmed} measured superlinear (${summary.confirmed - summary.separated.product} warning${summary.separated.product ? `, ${summary.separated.product} superlinear only when independent inputs grow together: information` : ''}), ${summary.refuted} not (information), ${summary.documented ? `${summary.documented} measured superlinear where the function documents that cost (information), ` : ''}${summary.unattributed} in a function with other superlinear work (not attributable: information), ${summary.unmeasured} not measured (information)\n`);
    // Which sandbox ran the user's code, as `bench` says it (new-user trial 9, L15).
    const isolation = detectIsolation(o.isolation);
    if (summary.functions > 0 && !(isolation instanceof Error)) process.stderr.write(`hotpath: the measured functions ran ${isolation.description}\n`);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** The result cache: --cache-dir, $HOTPATH_CACHE_DIR, or .hotpath_cache in the current directory. */
function openCache(o: Options, warn: (m: string) => void): ResultCache {
  const dir = o.cacheDir ?? process.env.HOTPATH_CACHE_DIR ?? join(process.cwd(), CACHE_DIR_NAME);
  let manifest: string | undefined;
  try {
    manifest = join(grammarsDir(), 'manifest.json');
  } catch {
    manifest = undefined;
  }
  return new ResultCache(dir, buildId(VERSION, manifest), DEFAULT_CACHE_BYTES, warn);
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  // Refused before any analysis: --verify runs the checked code, only in a sandbox unless allowed.
  const refusal = o.verify ? sandboxRefusal(o.isolation, o.allowUnsandboxed) : undefined;
  if (refusal) throw new UsageError(refusal);
  // Without valgrind every Python function would come back "not measured" and a CI gate on warnings would pass.
  if (o.verifyMetric === 'instructions' && !hasValgrind()) throw new UsageError('--verify-instructions counts instructions with valgrind, which is not installed here (Debian/Ubuntu: apt-get install valgrind); use --verify to time instead');
  const showProgress = o.progress && process.stderr.isTTY === true;
  const warnLine = (m: string) => {
    if (showProgress) process.stderr.write('\r\x1b[K');
    process.stderr.write(`warning: ${m}\n`);
  };
  const cache = o.cache ? openCache(o, warnLine) : undefined;
  const skipped: SkippedFile[] = [];
  let files = await checkFiles(o.paths, {
    parser: o.parser,
    maxBytes: o.maxBytes,
    cli: o.cli,
    jobs: o.jobs ?? availableParallelism(),
    cache,
    onPlan: o.verbose
      ? (p) => process.stderr.write(`hotpath: ${p.files} file${p.files === 1 ? '' : 's'}: ${p.analysed} analysed ${p.workers ? `in ${p.workers} worker threads` : 'in the main thread'}, ${p.cached} from the cache${cache ? ` (${cache.dir})` : ' (--no-cache)'}; parser: ${p.parser}\n`)
      : undefined,
    warn: warnLine,
    onSkipped: (s) => skipped.push(s),
    onFile: showProgress ? (i, n, p) => process.stderr.write(`\r\x1b[K[${i + 1}/${n}] ${displayPathOf(p)}`.slice(0, process.stderr.columns ?? 120)) : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  if (o.verify) await verify(files, o, showProgress);
  // The fix rounds parse with the backend the check loaded (review 10 W2, review 11 M4); a file not written is an I/O error: 2 (L8).
  const parser = files.find((f) => f.backend)?.backend ?? o.parser;
  const fixed = o.fix ? await fixFiles(files, { write: o.fix === 'write', warn: warnLine, parser }) : undefined;
  if (fixed && o.fix === 'diff') {
    for (const d of fixed.diffs) process.stdout.write(d);
    process.stderr.write(diffSummary(fixed));
    return fixed.notWritten ? 2 : fixed.changed > 0 ? 1 : 0;
  }
  files = fixed?.files ?? files;
  const total = files.reduce((n, f) => n + f.findings.length, 0);
  if (o.format === 'json') process.stdout.write(JSON.stringify(toJson(files), null, 2) + '\n');
  else if (o.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(files, skipped), null, 2) + '\n');
  else {
    for (const f of files) {
      for (const x of f.findings) {
        const { line, column } = lineColumn(f.positions, x.startIndex);
        process.stdout.write(textLine(f.displayPath, line, column, x));
      }
    }
    process.stdout.write(fixed ? fixSummary(fixed, skipped.length) : summary(files, skipped.length));
  }
  const failing = SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(o.failOn) + 1);
  const fails = total > 0 && files.some((f) => f.findings.some((x) => failing.includes(x.severity)));
  return fixed?.notWritten ? 2 : fails && !o.exitZero ? 1 : 0;
}
