// A code lens above functions with their static complexity estimate: `O(n·m) · n = len(orders),
// m = len(known)`, the chain that causes it in the tooltip, and a click that measures the function
// (the benchmark command). The headline is the function's own estimate, the very one HP301 and
// HP302 report (one estimate per function, with the same letters); when calling other functions of
// the same file adds cost, the lens adds "with its calls in this file: …" in the same letters.
// Settings: `hotpath.codeLens.enable`, `hotpath.codeLens.minimum` (which functions get a lens:
// `linear` by default, see LensMinimum); no lenses while `hotpath.enable` is off.
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { estimateRoots, type FunctionEstimate } from '../complexity';
import { formatCost, inputDegree, isConstantTerm, termDegree, varsOf, type VarKey } from '../complexity/cost';
import { lineColumn, type Positions } from '../analysis/positions';
import type { DocumentView, OpenDocument } from '../documents';
import type { Feature } from '../featureContext';
import { positions, rangeOf } from './findings';

const cache = new WeakMap<DocumentView, { text: string; estimates: { own: FunctionEstimate; withCalls: FunctionEstimate | undefined }[] }>();

/**
 * Larger files get no lenses: the file-level pass runs on the server's event loop (about 0.5 s for
 * 200 KB of Python on a shared core), and typing must not wait for it.
 */
export const MAX_LENS_CHARS = 400_000;

/**
 * The estimates of a document's functions (cached per version): each function's own estimate, unit
 * by unit as the complexity rules compute it (calls into other functions count as unknown), paired
 * with the file-level estimate that follows calls within the file.
 */
export function fileEstimates(doc: DocumentView): { own: FunctionEstimate; withCalls: FunctionEstimate | undefined }[] {
  if (!doc.analysis || doc.text.length > MAX_LENS_CHARS) return [];
  const cached = cache.get(doc);
  if (cached && cached.text === doc.text) return cached.estimates;
  const units = doc.analysis.unitNodes();
  const file = new Map(estimateRoots(doc.spec.complexity, units).map((e) => [e.shape.node.startIndex, e]));
  const estimates = units.flatMap((u) => estimateRoots(doc.spec.complexity, [u])).map((own) => ({ own, withCalls: file.get(own.shape.node.startIndex) }));
  cache.set(doc, { text: doc.text, estimates });
  return estimates;
}

const LETTERS = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/**
 * The file-level estimate in the own estimate's letters (`with the calls in this file: O(n·m), m =
 * len(known)`), or null when calls add nothing.
 */
export function withCallsText(own: FunctionEstimate, all: FunctionEstimate | undefined): { display: string; legend: string[] } | null {
  if (!all) return null;
  const letters = new Map<VarKey, string>(own.naming.letters);
  const used = new Set(letters.values());
  const legend: string[] = [];
  for (const key of varsOf(all.cost)) {
    if (letters.has(key)) continue;
    const letter = LETTERS.find((l) => !used.has(l)) ?? key;
    letters.set(key, letter);
    used.add(letter);
    const entry = all.naming.entries.get(key);
    if (entry) legend.push(entry.replace(/^\S+ = /, `${letter} = `));
  }
  const display = formatCost(all.cost, letters);
  const ownDisplay = formatCost(own.cost, letters);
  return display === ownDisplay ? null : { display, legend };
}

/**
 * Which functions get a lens. `linear` (the default): functions whose cost grows at least linearly
 * with the size of an input (O(n), O(n log n), O(n·m), …, and lower bounds that already are), because
 * that is what the lens adds: functions at least quadratic already carry an HP301 diagnostic, and a
 * lens saying O(1) or "≥ O(1), calls helper" on every small function is clutter (132 lenses on the
 * standard library's argparse.py with `all`; see docs/complexity.md). `quadratic`: only functions at
 * least quadratic or exponential. `all`: every top-level function and method.
 */
export type LensMinimum = 'all' | 'linear' | 'quadratic';

export interface LensSettings {
  enable: boolean;
  minimum: LensMinimum;
}

export const DEFAULT_LENS_SETTINGS: LensSettings = { enable: true, minimum: 'linear' };

/** The lens settings from the `hotpath` settings section (`enable` off means no lenses either). */
export function lensSettingsOf(settings: { enable?: unknown; codeLens?: unknown }): LensSettings {
  const c = (settings.codeLens ?? {}) as { enable?: unknown; minimum?: unknown };
  const minimum = c.minimum === 'all' || c.minimum === 'quadratic' || c.minimum === 'linear' ? c.minimum : DEFAULT_LENS_SETTINGS.minimum;
  return { enable: settings.enable !== false && c.enable !== false, minimum };
}

/** Growth in the size of the inputs: 0 constant (or only logarithmic), 1 linear, 2 quadratic, …; Infinity exponential. */
export function inputGrowth(est: FunctionEstimate): number {
  let growth = 0;
  for (const t of est.cost.terms) {
    const exponential = [...t.e].some((v) => /^(len|val|attr|size|span)\|/.test(v));
    growth = Math.max(growth, exponential ? Infinity : inputDegree(t));
  }
  return growth;
}

export function wantsLens(est: FunctionEstimate, minimum: LensMinimum): boolean {
  if (minimum === 'all') return true;
  return inputGrowth(est) >= (minimum === 'quadratic' ? 2 : 1);
}

/**
 * The lens title and tooltip for one function's own estimate (the title is never cut: details go to
 * the tooltip), and its estimate with the calls within the file followed.
 */
export function describeEstimate(est: FunctionEstimate, positions: Positions, all?: FunctionEstimate): { title: string; tooltip: string } {
  const lineOf = (index: number) => lineColumn(positions, index).line;
  const shown = [...est.cost.terms].sort((a, b) => termDegree(b) - termDegree(a)).slice(0, 4);
  const keys = new Set(shown.flatMap((t) => [...t.f.keys(), ...t.e]));
  const legend = [...est.naming.entries].filter(([k]) => keys.has(k)).map(([, v]) => v);
  // A lower bound says why in the title too: "≥ O(n) · n = len(xs) · calls `process`", or how many
  // things were not estimated when there are several (each is in the tooltip).
  const notes = est.cost.lower ? est.cost.notes : [];
  const only = notes.length === 1 ? notes[0].text.replace(/ \((not estimated|mutual recursion)[^)]*\)$/, '') : '';
  const why = only && !only.includes('…') && only.length <= 60 ? [only] : notes.length ? [`${notes.length} ${notes.length === 1 ? 'part' : 'parts'} not estimated`] : [];
  // The estimate shows its 4 largest terms; say how many more there are instead of "…".
  const hidden = est.cost.terms.length - 4;
  const display = hidden > 0 ? est.display.replace(/ \+ …\)$/, ` + ${hidden} more)`) : est.display;
  const calls = withCallsText(est, all);
  const withCalls = calls ? [`with its calls in this file: ${calls.display}${calls.legend.length ? `, ${calls.legend.join(', ')}` : ''}`] : [];
  const title = [display, ...(legend.length ? [legend.join(', ')] : []), ...(calls ? withCalls : why)].join(' · ');
  const lines: string[] = [`${est.name}: ${est.display} (static estimate of its own code, as HP301 reports it)`];
  if (calls) lines.push(`${withCalls[0]} (its callees in this file estimated too)`);
  if (est.naming.legend.length) lines.push(`where ${est.naming.legend.join(', ')}`);
  const worst = [...est.cost.terms].sort((a, b) => termDegree(b) - termDegree(a))[0];
  if (worst && !isConstantTerm(worst) && worst.chain.length) {
    const seen = new Set<string>();
    const steps = worst.chain.filter((s) => !seen.has(`${s.startIndex}:${s.endIndex}`) && seen.add(`${s.startIndex}:${s.endIndex}`));
    lines.push(`because: ${steps.map((s) => `${s.label} (line ${lineOf(s.startIndex)})`).join(' × ')}`);
  }
  const worstAll = calls && all ? [...all.cost.terms].sort((a, b) => termDegree(b) - termDegree(a))[0] : undefined;
  if (worstAll && !isConstantTerm(worstAll) && worstAll.chain.length) {
    const seen = new Set<string>();
    const steps = worstAll.chain.filter((s) => !seen.has(`${s.startIndex}:${s.endIndex}`) && seen.add(`${s.startIndex}:${s.endIndex}`));
    lines.push(`with its calls, because: ${steps.map((s) => `${s.label} (line ${lineOf(s.startIndex)})`).join(' × ')}`);
  }
  for (const n of est.cost.notes) lines.push(`not known: ${n.text} (line ${lineOf(n.startIndex)})`);
  lines.push('Click to measure it (benchmark at growing sizes; needs a trusted workspace).');
  return { title, tooltip: lines.join('\n') };
}

/** Functions worth a lens: top-level functions and methods, not functions nested in functions. */
function isOuter(est: FunctionEstimate, all: FunctionEstimate[]): boolean {
  return !all.some((o) => o !== est && o.shape.node.contains(est.shape.node) && o.shape.node !== est.shape.node);
}

export function codeLenses(doc: DocumentView, settings: LensSettings = DEFAULT_LENS_SETTINGS): CodeLens[] {
  if (!settings.enable) return [];
  const estimates = fileEstimates(doc);
  const own = estimates.map((e) => e.own);
  const td = positions(doc);
  return estimates
    .filter((e) => isOuter(e.own, own) && (wantsLens(e.own, settings.minimum) || (!!e.withCalls && wantsLens(e.withCalls, settings.minimum))))
    .map(({ own: est, withCalls }) => {
      const anchor = est.shape.nameNode ?? est.shape.node;
      const { title, tooltip } = describeEstimate(est, doc.document, withCalls);
      const range = rangeOf(doc, est.shape.node.startIndex, est.shape.node.startIndex);
      return {
        range,
        command: { title, tooltip, command: 'hotpath.benchmarkFunction', arguments: [doc.uri, td.positionAt(anchor.startIndex)] },
      };
    });
}

/**
 * The file-level pass costs up to a few hundred milliseconds on the event loop for a large file, so
 * lenses wait until typing pauses: a request that arrives mid-burst is answered once the document
 * has been still this long, or dropped when the editor cancels it for a newer one.
 */
export const LENS_QUIET_MS = 300;

const lastChange = new WeakMap<OpenDocument, number>();

async function whenQuiet(doc: OpenDocument, isCancelled: () => boolean): Promise<boolean> {
  for (;;) {
    const wait = (lastChange.get(doc) ?? 0) + LENS_QUIET_MS - Date.now();
    if (wait <= 0) return !isCancelled();
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (isCancelled()) return false;
  }
}

export const feature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(ctx) {
    ctx.documents.onDidChangeContent(({ document }) => lastChange.set(document, Date.now()));
    // Settings changed (hotpath.enable, hotpath.codeLens.*): ask the editor for lenses again. A client
    // without workspace/codeLens/refresh answers with an error, which changes nothing.
    ctx.settings.onDidChange(() => void ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined));
    ctx.connection.onCodeLens(async (params, token) => {
      let doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return [];
      const settings = lensSettingsOf(await ctx.settings.get());
      if (!settings.enable) return [];
      if (!(await whenQuiet(doc, () => token.isCancellationRequested))) return null;
      doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return [];
      try {
        return codeLenses(doc, settings);
      } catch (err) {
        ctx.log(`code lens failed: ${(err as Error)?.stack ?? err}`);
        return [];
      }
    });
  },
};
