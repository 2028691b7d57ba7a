// `hotpath check [paths…]`: static efficiency findings, as text, JSON or SARIF 2.1.0.
import { relative } from 'node:path';
import { DocumentAnalysis, INVALID_SYNTAX } from '../analysis/document';
import { isExcluded, loadProjectConfig, type RuleSelection } from '../analysis/config';
import { lineColumn, positionsOf } from '../analysis/positions';
import type { Finding } from '../analysis/rule';
import { readSourceText } from '../analysis/sourceFile';
import { visibleFindings } from '../analysis/visible';
import { languageForPath } from '../languages';
import { loadParserFactory, type GrammarName, type Parser, type ParserFactory } from '../parsing';
import { collectFiles } from '../analysis/files';
import { UsageError } from './args';
import type { FileFindings } from './findings';
import { toSarif } from './sarif';

export const usage = `Usage: hotpath check [paths…] [options]

Report efficiency findings in files and directories (default: the current directory).
Directories are walked honouring .gitignore.

Options:
  --format text|json|sarif   output format (default: text)
  --select CODES             only these rule codes or prefixes (comma-separated, e.g. HP1,HP201)
  --ignore CODES             skip these rule codes or prefixes
  --parser auto|wasm|native  tree-sitter backend (default: auto = native when installed)
  --max-file-size KB         skip larger files (default: 2048)
  --exit-zero                exit 0 even when there are findings
  --no-progress              no progress line on stderr

Exit status: 0 no findings, 1 findings, 2 usage or input errors.`;

export interface JsonFinding {
  path: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  code: string;
  severity: string;
  message: string;
  fix: { title: string; edits: { start: number; end: number; new_text: string }[] } | null;
}

interface Options {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  cli: RuleSelection;
  parser: 'auto' | 'wasm' | 'native';
  maxBytes: number;
  exitZero: boolean;
  progress: boolean;
}

function codes(value: string | undefined, flag: string): string[] {
  if (!value) throw new UsageError(`${flag} needs a value`);
  return value.split(',').map((c) => c.trim()).filter(Boolean);
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { paths: [], format: 'text', cli: { select: [], ignore: [], exclude: [] }, parser: 'auto', maxBytes: 2048 * 1024, exitZero: false, progress: true };
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
      case '--exit-zero':
        o.exitZero = true;
        break;
      case '--no-progress':
        o.progress = false;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) o.paths.push('.');
  return o;
}

export function toJson(files: FileFindings[]): JsonFinding[] {
  return files.flatMap((f) =>
    f.findings.map((x) => {
      const start = lineColumn(f.positions, x.startIndex);
      const end = lineColumn(f.positions, x.endIndex);
      return {
        path: f.displayPath,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        code: x.code,
        severity: x.severity,
        message: x.message,
        fix: x.fix ? { title: x.fix.title, edits: x.fix.replacements.map((r) => ({ start: r.startIndex, end: r.endIndex, new_text: r.newText })) } : null,
      };
    }),
  );
}

/** Analyse files; problems with individual files are reported through `warn`, never thrown. */
export async function checkFiles(paths: string[], opts: { parser?: Options['parser']; maxBytes?: number; cli?: RuleSelection; warn?: (m: string) => void; onFile?: (i: number, n: number, path: string) => void; /** Per-unit time budget (default UNIT_BUDGET_MS); benchmarks pass Infinity so that results do not depend on the machine's load. */ unitBudgetMs?: number } = {}): Promise<FileFindings[]> {
  const factory: ParserFactory = await loadParserFactory(opts.parser ?? 'auto');
  const parsers = new Map<GrammarName, Parser>();
  const warn = opts.warn ?? (() => undefined);
  const results: FileFindings[] = [];
  const files = collectFiles(paths, (p) => languageForPath(p) !== undefined, opts.cli?.exclude);
  files.forEach((path, i) => {
    opts.onFile?.(i, files.length, path);
    const spec = languageForPath(path);
    if (!spec) return;
    const displayPath = relative(process.cwd(), path) || path;
    const source = readSourceText(path, opts.maxBytes ?? 2048 * 1024);
    if (source.skipped !== undefined) return warn(`${displayPath}: skipped, ${source.skipped}${source.skipped.includes('size limit') ? ' (--max-file-size)' : ''}`);
    const text = source.text;
    let project: RuleSelection | undefined;
    try {
      project = loadProjectConfig(path);
    } catch (err) {
      warn((err as Error).message);
    }
    if (project && isExcluded(path, project)) return;
    let parser = parsers.get(spec.grammar);
    if (!parser) parsers.set(spec.grammar, (parser = factory.create(spec.grammar)));
    const doc = new DocumentAnalysis(spec, parser, text, opts.unitBudgetMs === undefined ? undefined : { unitBudgetMs: opts.unitBudgetMs });
    // Code that does not parse is reported whatever the selection (Ruff's invalid-syntax), then the findings of what parses.
    const syntax: Finding[] = doc.syntaxErrors().map((e) => ({ code: INVALID_SYNTAX, severity: 'error', message: e.message, startIndex: e.startIndex, endIndex: e.endIndex, related: [] }));
    const findings = [...syntax, ...visibleFindings(doc.findings(), text, spec.lineComment, [project, opts.cli])].sort((a, b) => a.startIndex - b.startIndex);
    for (const failure of doc.failures) warn(`${displayPath}: rule ${failure.code} failed: ${(failure.error as Error)?.message ?? failure.error}`);
    const positions = positionsOf(text);
    for (const skip of doc.skippedUnits()) warn(`${displayPath}:${lineColumn(positions, skip.startIndex).line}: ${skip.message}`);
    doc.dispose();
    results.push({ path, displayPath, text, positions, spec, findings });
  });
  return results;
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  const showProgress = o.progress && process.stderr.isTTY === true;
  let warnings = 0;
  const files = await checkFiles(o.paths, {
    parser: o.parser,
    maxBytes: o.maxBytes,
    cli: o.cli,
    warn: (m) => {
      warnings++;
      if (showProgress) process.stderr.write('\r\x1b[K');
      process.stderr.write(`warning: ${m}\n`);
    },
    onFile: showProgress ? (i, n, p) => process.stderr.write(`\r\x1b[K[${i + 1}/${n}] ${relative(process.cwd(), p)}`.slice(0, process.stderr.columns ?? 120)) : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  const total = files.reduce((n, f) => n + f.findings.length, 0);
  if (o.format === 'json') process.stdout.write(JSON.stringify(toJson(files), null, 2) + '\n');
  else if (o.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(files), null, 2) + '\n');
  else {
    for (const f of files) {
      for (const x of f.findings) {
        const { line, column } = lineColumn(f.positions, x.startIndex);
        process.stdout.write(`${f.displayPath}:${line}:${column} ${x.code} ${x.message}\n`);
      }
    }
    const fixable = files.reduce((n, f) => n + f.findings.filter((x) => x.fix).length, 0);
    process.stdout.write(total === 0 ? `All clear: no findings in ${files.length} file${files.length === 1 ? '' : 's'}.\n` : `Found ${total} finding${total === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} (${fixable} with a quick fix in the editor).\n`);
  }
  void warnings;
  return total > 0 && !o.exitZero ? 1 : 0;
}
