// Execution-based checks in the editor: `hotpath/benchmark` (measure the function at a position
// at growing sizes and fit its class), `hotpath/compare` (check a rewrite behaves the same, then
// measure both), `hotpath/functions` (the top-level functions of a document or file, for pickers).
// Long requests report LSP work-done progress and honour cancellation (the request's token and
// the progress notification's Cancel button). User code runs only in a trusted workspace.
//
// After a benchmark of a function that has an HP301 finding ("at least quadratic"; the client
// offers "Measure it" on it), the measured class and exponent are published as an HP301
// diagnostic of their own on the function, until its text changes.
import { CodeActionKind, DiagnosticSeverity, type CancellationToken, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { OpenDocument } from '../documents';
import {
  benchmarkFunction,
  compareFunctions,
  compareToMarkdown,
  functionAt,
  generatorStubFor,
  predict,
  toMarkdown,
  topLevelFunctions,
  type BenchmarkResult,
  type EngineOptions,
  type Progress,
} from '../execution';
import { execLanguage, languageById } from '../languages';
import { askToPullAgain, type Feature, type ServerContext } from '../featureContext';
import { formatN, inputSizeLegend, prettyClass } from '../notation';
import { BenchmarkRequest, CompareRequest, FunctionsRequest, type BenchmarkParams, type BenchmarkResponse, type CompareResponse, type Curve } from '../protocol';
import { positions, rangeOf } from './findings';
import { executionSettings, invalidParams, requireTrust, resolveTarget, toResponseError, withWorkDoneProgress } from './request';

export function curveOf(r: BenchmarkResult): Curve[] {
  const ns = r.points.filter((p) => !p.censored).map((p) => p.n);
  if (ns.length < 2 || !r.fit.models.length) return [];
  const lo = Math.max(1, Math.min(...ns));
  const hi = Math.max(...r.points.map((p) => p.n));
  const points: { n: number; y: number }[] = [];
  for (let i = 0; i < 48; i++) {
    const n = lo * Math.pow(hi / lo, i / 47);
    const y = predict({ complexity: r.fit.complexity, constant: r.fit.constant, intercept: r.fit.intercept, linear: r.fit.linear, base: r.fit.base }, n);
    if (Number.isFinite(y) && y > 0) points.push({ n, y });
  }
  return [{ label: r.function, complexity: r.complexity, points }];
}

async function optionsFrom(ctx: ServerContext, given: BenchmarkParams['options'] = {}): Promise<EngineOptions> {
  const fromSettings = executionSettings((await ctx.settings.get()) as Record<string, unknown>);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  return {
    ...fromSettings,
    ...given,
    budgetMs: given.budgetMs ?? fromSettings.budgetMs,
    metric: given.metric ?? fromSettings.metric,
    clock: given.clock ?? fromSettings.clock,
    python: given.python ?? fromSettings.python,
    node: given.node ?? fromSettings.node,
    limits: {
      ...fromSettings.limits,
      ...(num(given.perCallMs) ? { perCallMs: num(given.perCallMs) } : {}),
      ...(num(given.memoryMb) ? { memoryMb: num(given.memoryMb) } : {}),
      ...given.limits,
    },
  };
}

/** A warning once per session when code ran without a sandbox (every report says it too). */
function unsandboxedWarning(ctx: ServerContext): (r: BenchmarkResult) => void {
  let warned = false;
  return (r) => {
    if (r.integrity.isolation.kind !== 'none' || warned) return;
    warned = true;
    ctx.connection.window.showWarningMessage('Hotpath: no sandbox is available on this machine (Linux: install bubblewrap), so benchmarks run your code with your rights. Code a model wrote is not run unless hotpath.execution.allowUnsandboxed is set.');
  };
}

/** Measured results per document and function, shown on HP301 until the function changes. */
interface Measured {
  name: string;
  /** The function's text when measured. */
  text: string;
  result: BenchmarkResult;
}
/** Measurements by document URI and function name (one store per server, kept by the feature). */
type MeasuredStore = Map<string, Map<string, Measured>>;

function functionText(ctx: Pick<ServerContext, 'parsers'>, doc: OpenDocument, name: string): { text: string; start: number; end: number } | undefined {
  const language = execLanguage(doc.languageId);
  if (!language) return undefined;
  const f = topLevelFunctions(ctx.parsers, languageById(language).execution, doc.text).find((x) => x.name === name);
  return f ? { text: doc.text.slice(f.startIndex, f.endIndex), start: f.startIndex, end: f.endIndex } : undefined;
}

/** What n is, in the names the code lens uses for the same function (the language's spelling of a length). */
export function sizeLegendOf(r: BenchmarkResult): string {
  const spec = languageById(r.language);
  return inputSizeLegend(r.inputs, (kind, name) => spec.complexity.describe(kind, name));
}

export function measuredMessage(r: BenchmarkResult): string {
  const f = r.fit;
  const exp = Number.isFinite(f.exponent) ? `n^${f.exponent.toFixed(2)}` : 'n^?';
  const ci = Number.isFinite(f.exponentCi[0]) ? ` (95% CI ${f.exponentCi[0].toFixed(2)}–${f.exponentCi[1].toFixed(2)})` : '';
  const top = Math.max(...r.points.map((p) => p.n));
  return `Measured: ${r.metric === 'time' ? 'time' : 'instructions'} ∝ ${exp}${ci}, fitted ${prettyClass(r.complexity)} (confidence ${(f.confidence * 100).toFixed(0)}%), n up to ${formatN(top)} (${sizeLegendOf(r)})`;
}

function measuredDiagnostics(ctx: Pick<ServerContext, 'parsers'>, measured: MeasuredStore, doc: OpenDocument): Diagnostic[] {
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

/**
 * "Add a benchmark input generator" on a function whose inputs Hotpath cannot build (no type, no
 * telling use, no known name): inserts a generator above it, filled with what was inferred, and
 * the `bench-input` directive that names it. Static: runs nothing, so also offered untrusted.
 */
function inputGeneratorAction(ctx: Pick<ServerContext, 'parsers'>, doc: OpenDocument, offset: number): CodeAction[] {
  const language = execLanguage(doc.languageId);
  if (!language) return [];
  const lang = languageById(language).execution;
  const file = doc.uri.startsWith('file:') ? decodeURIComponent(new URL(doc.uri).pathname) : undefined;
  const fn = functionAt(ctx.parsers, lang, doc.text, offset, file);
  if (!fn) return [];
  const stub = generatorStubFor(ctx.parsers, lang, doc.text, fn.name, file);
  if (!stub) return [];
  const at = rangeOf(doc, stub.insertAt, stub.insertAt);
  return [{ title: 'Add a benchmark input generator', kind: CodeActionKind.QuickFix, edit: { changes: { [doc.uri]: [{ range: at, newText: stub.text }] } } }];
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
    const measured: MeasuredStore = new Map();
    const warnIfUnsandboxed = unsandboxedWarning(ctx);
    ctx.diagnosticsContributors.push((doc) => measuredDiagnostics(ctx, measured, doc));
    ctx.codeActionContributors.push(async (doc, params) => inputGeneratorAction(ctx, doc, positions(doc).offsetAt(params.range.start)));

    ctx.connection.onRequest(FunctionsRequest, async (params) => {
      try {
        const ref = { ...params, functionName: '__hotpath_list__' };
        const { target } = resolveTarget(ctx, ref);
        return topLevelFunctions(ctx.parsers, languageById(target.language).execution, target.source, target.file).map((f) => ({ name: f.name, line: f.line }));
      } catch (err) {
        throw toResponseError(err, 'benchmark');
      }
    });

    ctx.connection.onRequest(BenchmarkRequest, async (params, token): Promise<BenchmarkResponse> => {
      try {
        requireTrust(ctx, 'Benchmarking');
        const { target, doc } = resolveTarget(ctx, params);
        const opts = await optionsFrom(ctx, params.options);
        const text = doc ? functionText(ctx, doc, target.functionName)?.text : undefined;
        ctx.log(`benchmark ${target.functionName} (${target.file ?? 'source'}): ${opts.metric}, budget ${opts.budgetMs ?? 'default'} ms`);
        const result = await withProgress(ctx, `Hotpath: benchmarking ${target.functionName}`, token, (signal, onProgress) =>
          benchmarkFunction(target, { ...opts, parsers: ctx.parsers }, { signal, onProgress }));
        warnIfUnsandboxed(result);
        if (doc && text !== undefined) {
          let byName = measured.get(doc.uri);
          if (!byName) measured.set(doc.uri, (byName = new Map()));
          byName.set(target.functionName, { name: target.functionName, text, result });
          void ctx.publishDiagnostics(doc).catch((e) => ctx.log(`publishing the measurement failed: ${e}`));
          askToPullAgain(ctx); // a pull-only client has nothing pushed (review 10 L5)
        }
        const sizeLegend = sizeLegendOf(result);
        return { result, sizeLegend, markdown: toMarkdown(result, sizeLegend), curves: curveOf(result) };
      } catch (err) {
        throw toResponseError(err, 'benchmark');
      }
    });

    ctx.connection.onRequest(CompareRequest, async (params, token): Promise<CompareResponse> => {
      try {
        requireTrust(ctx, 'Benchmarking');
        const base = resolveTarget(ctx, params.baseline).target;
        const cand = resolveTarget(ctx, params.candidate).target;
        if (base.file && cand.file === base.file && base.functionName === cand.functionName && base.source === cand.source) throw invalidParams('pick a different function to compare with');
        const opts = await optionsFrom(ctx, params.options);
        const result = await withProgress(ctx, `Hotpath: comparing ${base.functionName} with ${cand.functionName}`, token, (signal, onProgress) =>
          compareFunctions(base, cand, { ...opts, parsers: ctx.parsers }, { signal, onProgress }));
        warnIfUnsandboxed(result.candidate);
        return { result, sizeLegend: sizeLegendOf(result.baseline), markdown: compareToMarkdown(result), curves: [...curveOf(result.baseline), ...curveOf(result.candidate)] };
      } catch (err) {
        throw toResponseError(err, 'benchmark');
      }
    });

    ctx.documents.onDidClose((uri) => measured.delete(uri));
  },
};
