// A code lens above functions with their static complexity estimate: `O(n·m) · n = len(orders),
// m = len(known)`, the chain that causes it in the tooltip, and a click that measures the function
// (the benchmark command). The headline is the function's own estimate, the very one HP301 and
// HP302 report (one estimate per function, with the same letters); when calling other functions of
// the same file adds cost, the lens adds "with its calls in this file: …" in the same letters.
// Settings: `hotpath.codeLens.enable`, `hotpath.codeLens.minimum` (which functions get a lens:
// `linear` by default, see LensMinimum); no lenses while `hotpath.enable` is off.
// Cost on the event loop: the estimates are the analysis' own, per unit and incremental
// (analysis/estimates.ts); `textDocument/codeLens` waits for a pause in typing (LENS_QUIET_MS), then
// only decides which functions get a lens (it follows calls only for functions below the minimum
// that call into other units, in slices of a few milliseconds so that diagnostics never wait long),
// and `codeLens/resolve`, which the editor sends for the lenses on screen, writes their titles.
import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { formatCost, inputDegree, isConstantTerm, termDegree, varsOf, type VarKey } from '../complexity/cost';
import { run, type EstimateSummary, type FileEstimates, type UnitView } from '../analysis/estimates';
import { lineColumn, type Positions } from '../analysis/positions';
import type { DocumentView } from '../documents';
import type { Feature } from '../featureContext';
import { positions, rangeOf } from './findings';

/** What a lens shows of an estimate (a FunctionEstimate or its summary). */
type Estimate = Pick<EstimateSummary, 'name' | 'cost' | 'naming' | 'display'>;

const LETTERS = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/**
 * The file-level estimate in the own estimate's letters (`with the calls in this file: O(n·m), m =
 * len(known)`), or null when calls add nothing.
 */
export function withCallsText(own: Estimate, all: Estimate | undefined): { display: string; legend: string[] } | null {
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
export function inputGrowth(est: Pick<Estimate, 'cost'>): number {
  let growth = 0;
  for (const t of est.cost.terms) {
    const exponential = [...t.e].some((v) => /^(len|val|attr|size|span)\|/.test(v));
    growth = Math.max(growth, exponential ? Infinity : inputDegree(t));
  }
  return growth;
}

export function wantsLens(est: Pick<Estimate, 'cost'>, minimum: LensMinimum): boolean {
  if (minimum === 'all') return true;
  return inputGrowth(est) >= (minimum === 'quadratic' ? 2 : 1);
}

/**
 * The lens title and tooltip for one function's own estimate (the title is never cut: details go to
 * the tooltip), and its estimate with the calls within the file followed.
 */
export function describeEstimate(est: Estimate, positions: Positions, all?: Estimate): { title: string; tooltip: string } {
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

/** A function that gets a lens; its estimate with calls when deciding needed it. */
interface Chosen {
  unit: UnitView;
  own: EstimateSummary;
  withCalls?: EstimateSummary;
}

/**
 * Which functions get a lens (top-level functions and methods, not functions nested in functions):
 * those whose own estimate reaches the minimum, and those whose calls into this file bring them up
 * to it. Yields while it follows calls (see FileEstimates.withCallsOf).
 */
function* chooseLenses(estimates: FileEstimates, minimum: LensMinimum): Generator<void, Chosen[]> {
  // Within a unit, functions come in document order: a function nested in another follows it.
  const outer: { unit: UnitView; own: EstimateSummary }[] = [];
  for (const e of estimates.all()) {
    const last = outer[outer.length - 1];
    if (last && last.unit === e.unit && last.own.startIndex <= e.own.startIndex && e.own.endIndex <= last.own.endIndex) continue;
    outer.push(e);
  }
  const undecided = outer.filter((e) => !wantsLens(e.own, minimum));
  const withCalls = yield* estimates.withCallsOf(undecided);
  const lifted = new Map<EstimateSummary, EstimateSummary>();
  undecided.forEach((e, i) => {
    if (withCalls[i] !== e.own && wantsLens(withCalls[i], minimum)) lifted.set(e.own, withCalls[i]);
  });
  return outer.filter((e) => wantsLens(e.own, minimum) || lifted.has(e.own)).map((e) => ({ ...e, withCalls: lifted.get(e.own) }));
}

/** The lens of a chosen function, with its title and command (its estimate with calls computed if needed). */
function resolved(doc: DocumentView, estimates: FileEstimates, chosen: Chosen): CodeLens {
  const withCalls = chosen.withCalls ?? estimates.withCalls(chosen.unit, chosen.own);
  const { title, tooltip } = describeEstimate(chosen.own, doc.document, withCalls === chosen.own ? undefined : withCalls);
  return {
    range: rangeOf(doc, chosen.own.startIndex, chosen.own.startIndex),
    command: { title, tooltip, command: 'hotpath.benchmarkFunction', arguments: [doc.uri, positions(doc).positionAt(chosen.own.anchorIndex)] },
  };
}

/** Every lens of a document, resolved (tests, benchmarks and clients without codeLens/resolve). */
export function codeLenses(doc: DocumentView, settings: LensSettings = DEFAULT_LENS_SETTINGS): CodeLens[] {
  if (!settings.enable || !doc.analysis) return [];
  const estimates = doc.analysis.estimates;
  return run(chooseLenses(estimates, settings.minimum)).map((c) => resolved(doc, estimates, c));
}

/** What an unresolved lens carries to codeLens/resolve: the document version and the function's offset. */
export interface LensData {
  uri: string;
  version: number;
  start: number;
}

/**
 * textDocument/codeLens: the lenses without their titles, each with the data codeLens/resolve needs.
 * A generator that yields while it follows calls (the caller spreads it over the event loop).
 */
export function* unresolvedLenses(doc: DocumentView, version: number, settings: LensSettings): Generator<void, CodeLens[]> {
  if (!settings.enable || !doc.analysis) return [];
  const chosen = yield* chooseLenses(doc.analysis.estimates, settings.minimum);
  return chosen.map((c): CodeLens => ({ range: rangeOf(doc, c.own.startIndex, c.own.startIndex), data: { uri: doc.uri, version, start: c.own.startIndex } satisfies LensData }));
}

/** How `lensesInSlices` spreads its work over the event loop. */
export interface Slicing {
  /** Whether the current slice is over (checked after each step of the generator). */
  timeToPause(): boolean;
  /** Let other messages through; the background analysis may run meanwhile. */
  pause(): Promise<void>;
  /** Whether the request is to be abandoned (cancelled, or the document changed: the editor asks again). */
  stopped(): boolean;
}

/**
 * textDocument/codeLens spread over the event loop: `unresolvedLenses` in slices, null when abandoned.
 * The background loop's `finishDependents` runs between slices without a new version: it may parse
 * the text afresh (an update through broken code) and re-analyse units, freeing the tree the
 * generator's snapshots and estimate stamps were taken from. So when the analysis' generation (or
 * the analysis itself) changed during a pause, the generator is started again on the analysis as it
 * is now (the editor would not ask again: no edit came). `lenses`: the generator (tests watch it).
 */
export async function lensesInSlices(doc: DocumentView, version: number, settings: LensSettings, slicing: Slicing, lenses: typeof unresolvedLenses = unresolvedLenses): Promise<CodeLens[] | null> {
  for (;;) {
    const analysis = doc.analysis;
    const generation = analysis?.generation;
    const choosing = lenses(doc, version, settings);
    let restart = false;
    while (!restart) {
      const r = choosing.next();
      if (r.done) return r.value;
      if (!slicing.timeToPause()) continue;
      await slicing.pause();
      if (slicing.stopped()) return null;
      restart = doc.analysis !== analysis || analysis?.generation !== generation;
    }
    choosing.return([]);
  }
}

/** A lens whose function is gone or changed: the editor asks for the new lenses after every edit. */
const STALE: CodeLens['command'] = { title: '…', command: '' };

/** codeLens/resolve: the title and command of one lens (of the document at `version`). */
export function resolveLens(doc: DocumentView | undefined, version: number | undefined, lens: CodeLens): CodeLens {
  const data = lens.data as LensData | undefined;
  if (!doc?.analysis || !data || data.version !== version) return { ...lens, command: STALE };
  const estimates = doc.analysis.estimates;
  const found = estimates.all().find((e) => e.own.startIndex === data.start);
  return found ? resolved(doc, estimates, found) : { ...lens, command: STALE };
}

/** How long the lens computation runs before it lets other messages through. */
const SLICE_MS = 4;

/**
 * Lenses are computed once typing pauses this long: while keys come faster, the editor keeps showing
 * the lenses it has, and the CPU goes to the diagnostics of each keystroke.
 */
export const LENS_QUIET_MS = 150;

export const feature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: true } },
  register(ctx) {
    // Settings changed (hotpath.enable, hotpath.codeLens.*): ask the editor for lenses again. A client
    // without workspace/codeLens/refresh answers with an error, which changes nothing.
    ctx.settings.onDidChange(() => void ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined));
    const lastChange = new WeakMap<DocumentView, number>();
    ctx.documents.onDidChangeContent(({ document }) => lastChange.set(document, performance.now()));
    ctx.connection.onCodeLens(async (params, token) => {
      let doc = ctx.documents.get(params.textDocument.uri);
      const settings = lensSettingsOf(await ctx.settings.get());
      for (let wait; doc && (wait = (lastChange.get(doc) ?? 0) + LENS_QUIET_MS - performance.now()) > 0; ) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (token.isCancellationRequested) return null;
        doc = ctx.documents.get(params.textDocument.uri);
      }
      if (!doc?.analysis) return [];
      const version = doc.version;
      const open = doc;
      let slice = performance.now();
      try {
        return await lensesInSlices(doc, version, settings, {
          timeToPause: () => performance.now() - slice > SLICE_MS,
          pause: async () => {
            await new Promise((resolve) => setImmediate(resolve));
            slice = performance.now();
          },
          // An edit arrived (the editor asks again) or the request was cancelled.
          stopped: () => token.isCancellationRequested || open.version !== version || ctx.documents.get(open.uri) !== open,
        });
      } catch (err) {
        ctx.log(`code lens failed: ${(err as Error)?.stack ?? err}`);
        return [];
      }
    });
    ctx.connection.onCodeLensResolve((lens) => {
      const uri = (lens.data as LensData | undefined)?.uri;
      const doc = uri === undefined ? undefined : ctx.documents.get(uri);
      try {
        return resolveLens(doc, doc?.version, lens);
      } catch (err) {
        ctx.log(`code lens failed: ${(err as Error)?.stack ?? err}`);
        return { ...lens, command: STALE };
      }
    });
  },
};
