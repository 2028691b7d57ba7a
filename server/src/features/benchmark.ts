// Execution-based checks in the editor: `hotpath/benchmark` (measure the function at a position
// at growing sizes and fit its class), `hotpath/compare` (check a rewrite behaves the same, then
// measure both), `hotpath/functions` (the top-level functions of a document or file, for pickers).
// Long requests report LSP work-done progress and honour cancellation (the request's token and
// the progress notification's Cancel button). User code runs only in a trusted workspace.
//
// After a benchmark of a function that has an HP301 finding ("at least quadratic"; the client
// offers "Measure it" on it), the measured class and exponent are published as an HP301
// diagnostic of their own on the function, until its text changes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, ResponseError, type CancellationToken, type Diagnostic, type Position } from 'vscode-languageserver/node';
import type { OpenDocument } from '../documents';
import {
  benchmarkFunction,
  compareFunctions,
  compareToMarkdown,
  execLanguage,
  ExecutionError,
  functionAt,
  predict,
  toMarkdown,
  topLevelFunctions,
  type BenchmarkOptions,
  type BenchmarkResult,
  type CompareResult,
  type FunctionTarget,
  type Progress,
} from '../execution';
import type { Feature, ServerContext } from '../featureContext';
import { BenchmarkRequest, CompareRequest, FunctionsRequest, type BenchmarkParams, type BenchmarkResponse, type CompareResponse, type Curve, type TargetRef } from '../protocol';
import { contributeDiagnostics, publish } from './diagnostics';
import { positions, rangeOf } from './findings';

export function curveOf(r: BenchmarkResult): Curve[] {
  const ns = r.points.filter((p) => !p.censored).map((p) => p.n);
  if (ns.length < 2 || !r.fit.models.length) return [];
  const lo = Math.max(1, Math.min(...ns));
  const hi = Math.max(...r.points.map((p) => p.n));
  const points: { n: number; y: number }[] = [];
  for (let i = 0; i < 48; i++) {
    const n = lo * Math.pow(hi / lo, i / 47);
    const y = predict({ complexity: r.fit.complexity, constant: r.fit.constant, intercept: r.fit.intercept, base: r.fit.base }, n);
    if (Number.isFinite(y) && y > 0) points.push({ n, y });
  }
  return [{ label: r.function, complexity: r.complexity, points }];
}

function toError(err: unknown): ResponseError<{ kind?: string; detail?: string }> {
  if (err instanceof ExecutionError) return new ResponseError(-32803, err.message, { kind: err.kind, detail: err.detail });
  if (err instanceof ResponseError) return err;
  return new ResponseError(-32803, `benchmark failed: ${(err as Error)?.message ?? err}`, { kind: 'internal' });
}

/** Resolve a reference to a function target (the editor's text for open documents). */
export function resolveTarget(ctx: Pick<ServerContext, 'documents' | 'parsers'>, ref: TargetRef): { target: FunctionTarget; doc?: OpenDocument } {
  let source: string;
  let file: string | undefined;
  let language = ref.language;
  let doc: OpenDocument | undefined;
  if (ref.source !== undefined) {
    source = ref.source;
    if (!language) throw new ResponseError(-32602, 'a source string needs its language');
  } else if (ref.uri || ref.path) {
    doc = ref.uri ? ctx.documents.get(ref.uri) : undefined;
    file = ref.path ?? (ref.uri!.startsWith('file:') ? fileURLToPath(ref.uri!) : undefined);
    if (doc) source = doc.text;
    else {
      if (!file) throw new ResponseError(-32602, `cannot read ${ref.uri}: not a file and not open`);
      try {
        source = readFileSync(file, 'utf8');
      } catch (e) {
        throw new ResponseError(-32602, `cannot read ${file}: ${(e as Error).message}`);
      }
    }
    language ??= execLanguage(doc?.languageId ?? file ?? '');
    if (!language) throw new ResponseError(-32602, `benchmarks run Python, JavaScript and TypeScript functions; ${file ?? ref.uri} is none of these`);
  } else throw new ResponseError(-32602, 'no function given (uri, path or source)');
  let name = ref.functionName;
  if (!name && ref.position) {
    const offset = doc ? positions(doc).offsetAt(ref.position) : offsetOf(source, ref.position);
    name = functionAt(ctx.parsers, language, source, offset, file)?.name;
    if (!name) throw new ResponseError(-32602, 'the cursor is not inside a top-level function');
  }
  if (!name) throw new ResponseError(-32602, 'no function name or position');
  return { target: { language, source, functionName: name, file }, doc };
}

function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + p.character);
}

async function optionsFrom(ctx: ServerContext, given: BenchmarkParams['options'] = {}): Promise<BenchmarkOptions> {
  const settings = await ctx.settings.get();
  const ex = (settings.execution ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const metric = given.metric ?? (ex.metric === 'instructions' ? 'instructions' : 'time');
  return {
    ...given,
    budgetMs: given.budgetMs ?? num(ex.budgetMs),
    metric,
    clock: given.clock ?? (ex.clock === 'wall' ? 'wall' : 'cpu'),
    python: given.python ?? str(ex.python),
    node: given.node ?? str(ex.node),
    limits: {
      ...(num(given.perCallMs ?? ex.perCallMs) ? { perCallMs: num(given.perCallMs ?? ex.perCallMs) } : {}),
      ...(num(given.memoryMb ?? ex.memoryMb) ? { memoryMb: num(given.memoryMb ?? ex.memoryMb) } : {}),
      ...given.limits,
    },
  };
}

/** Measured results per document and function, shown on HP301 until the function changes. */
interface Measured {
  name: string;
  /** The function's text when measured. */
  text: string;
  result: BenchmarkResult;
}
const measured = new Map<string, Map<string, Measured>>();

function functionText(ctx: Pick<ServerContext, 'parsers'>, doc: OpenDocument, name: string): { text: string; start: number; end: number } | undefined {
  const language = execLanguage(doc.languageId);
  if (!language) return undefined;
  const f = topLevelFunctions(ctx.parsers, language, doc.text).find((x) => x.name === name);
  return f ? { text: doc.text.slice(f.startIndex, f.endIndex), start: f.startIndex, end: f.endIndex } : undefined;
}

export function measuredMessage(r: BenchmarkResult): string {
  const f = r.fit;
  const exp = Number.isFinite(f.exponent) ? `n^${f.exponent.toFixed(2)}` : 'n^?';
  const ci = Number.isFinite(f.exponentCi[0]) ? ` (95% CI ${f.exponentCi[0].toFixed(2)}–${f.exponentCi[1].toFixed(2)})` : '';
  const top = Math.max(...r.points.map((p) => p.n));
  return `Measured: ${r.metric === 'time' ? 'time' : 'instructions'} ∝ ${exp}${ci}, fitted ${r.complexity} (confidence ${(f.confidence * 100).toFixed(0)}%), n up to ${top}`;
}

function measuredDiagnostics(ctx: Pick<ServerContext, 'parsers'>, doc: OpenDocument): Diagnostic[] {
  const byName = measured.get(doc.uri);
  if (!byName) return [];
  const out: Diagnostic[] = [];
  for (const [name, m] of byName) {
    let f: ReturnType<typeof functionText>;
    try {
      f = functionText(ctx, doc, name);
    } catch {
      f = undefined;
    }
    if (!f || f.text !== m.text) {
      byName.delete(name); // edited or gone: the measurement no longer describes it
      continue;
    }
    const nameAt = doc.text.indexOf(name, f.start);
    const range = rangeOf(doc, nameAt >= 0 && nameAt < f.end ? nameAt : f.start, nameAt >= 0 && nameAt < f.end ? nameAt + name.length : f.start);
    out.push({ range, severity: DiagnosticSeverity.Information, code: 'HP301', source: 'hotpath', message: measuredMessage(m.result), data: { measured: { complexity: m.result.complexity, exponent: m.result.fit.exponent, exponentCi: m.result.fit.exponentCi } } });
  }
  return out;
}

function requireTrust(ctx: ServerContext): void {
  if (!ctx.isTrusted()) throw new ResponseError(-32803, 'Running code needs a trusted workspace: Hotpath only analyses code in restricted mode (Manage Workspace Trust to allow benchmarks).', { kind: 'untrusted' });
}

/** Runs `work` under a cancellable work-done progress (none when the client has no window/workDoneProgress). */
export async function withWorkDoneProgress<T>(ctx: ServerContext, title: string, token: CancellationToken | undefined, work: (signal: AbortSignal, report: (percent: number, message: string) => void) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  token?.onCancellationRequested(() => ac.abort());
  if (token?.isCancellationRequested) ac.abort();
  let reporter: Awaited<ReturnType<ServerContext['connection']['window']['createWorkDoneProgress']>> | undefined;
  try {
    reporter = await ctx.connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, 'starting', true);
    reporter.token.onCancellationRequested(() => ac.abort());
  } catch {
    reporter = undefined; // a client without window/workDoneProgress
  }
  try {
    return await work(ac.signal, (percent, message) => reporter?.report(percent, message));
  } finally {
    reporter?.done();
  }
}

function withProgress<T>(ctx: ServerContext, title: string, token: CancellationToken | undefined, work: (signal: AbortSignal, report: (p: Progress) => void) => Promise<T>): Promise<T> {
  return withWorkDoneProgress(ctx, title, token, (signal, report) =>
    work(signal, (p) => {
      const fraction = p.budgetMs > 0 ? Math.min(99, Math.round((p.elapsedMs / p.budgetMs) * 100)) : undefined;
      report(fraction ?? 0, p.message);
    }),
  );
}

export const feature: Feature = {
  register(ctx) {
    contributeDiagnostics((doc) => measuredDiagnostics(ctx, doc));

    ctx.connection.onRequest(FunctionsRequest, async (params) => {
      try {
        const ref = { ...params, functionName: '__hotpath_list__' };
        const { target } = resolveTarget(ctx, ref);
        return topLevelFunctions(ctx.parsers, target.language, target.source, target.file).map((f) => ({ name: f.name, line: f.line }));
      } catch (err) {
        throw toError(err);
      }
    });

    ctx.connection.onRequest(BenchmarkRequest, async (params, token): Promise<BenchmarkResponse> => {
      try {
        requireTrust(ctx);
        const { target, doc } = resolveTarget(ctx, params);
        const opts = await optionsFrom(ctx, params.options);
        const text = doc ? functionText(ctx, doc, target.functionName)?.text : undefined;
        ctx.log(`benchmark ${target.functionName} (${target.file ?? 'source'}): ${opts.metric}, budget ${opts.budgetMs ?? 'default'} ms`);
        const result = await withProgress(ctx, `Hotpath: benchmarking ${target.functionName}`, token, (signal, onProgress) =>
          benchmarkFunction(target, { ...opts, parsers: ctx.parsers }, { signal, onProgress }));
        if (doc && text !== undefined) {
          let byName = measured.get(doc.uri);
          if (!byName) measured.set(doc.uri, (byName = new Map()));
          byName.set(target.functionName, { name: target.functionName, text, result });
          void publish(ctx, doc).catch((e) => ctx.log(`publishing the measurement failed: ${e}`));
        }
        return { result, markdown: toMarkdown(result), curves: curveOf(result) };
      } catch (err) {
        throw toError(err);
      }
    });

    ctx.connection.onRequest(CompareRequest, async (params, token): Promise<CompareResponse> => {
      try {
        requireTrust(ctx);
        const base = resolveTarget(ctx, params.baseline).target;
        const cand = resolveTarget(ctx, params.candidate).target;
        if (base.file && cand.file === base.file && base.functionName === cand.functionName && base.source === cand.source) throw new ResponseError(-32602, 'pick a different function to compare with');
        const opts = await optionsFrom(ctx, params.options);
        const result = await withProgress(ctx, `Hotpath: comparing ${base.functionName} with ${cand.functionName}`, token, (signal, onProgress) =>
          compareFunctions(base, cand, { ...opts, parsers: ctx.parsers }, { signal, onProgress }));
        return { result, markdown: compareToMarkdown(result), curves: [...curveOf(result.baseline), ...curveOf(result.candidate)] };
      } catch (err) {
        throw toError(err);
      }
    });

    ctx.documents.onDidClose((uri) => measured.delete(uri));
  },
};
