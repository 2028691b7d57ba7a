// Verified rewrites in the editor (issue 7, docs/optimize.md):
//   - `hotpath/optimize` {uri, functionName | position, options?}: diagnose the function, ask the
//     model (or the injected candidates) for K rewrites per round, verify each by execution,
//     refine for R rounds; LSP work-done progress, cancellable. Every candidate and the reason it
//     was rejected go to the output channel. The response carries the best verified rewrite as a
//     WorkspaceEdit whose edits carry a ChangeAnnotation with needsConfirmation (VS Code shows its
//     refactor preview); nothing is applied by the server.
//   - `hotpath/measureFix` {uri, code, range}: verify a rule's quick fix the same way.
//   - Code actions: "Optimize with local model" on functions with a Hotpath finding, "Measure this
//     fix" on findings with a fix, and, once a rewrite was verified for the function's current
//     text, "Replace with verified rewrite: 14× faster at n=10⁵, O(n²) → O(n)".
// Candidates come from the model service; HOTPATH_OPTIMIZE_CANDIDATES (tests only) injects them.
import { CodeActionKind, LSPErrorCodes, ResponseError, type CancellationToken, type CodeAction, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { OpenDocument } from '../documents';
import { topLevelFunctions, type EngineOptions, type FunctionTarget } from '../execution';
import { execLanguage, languageById } from '../languages';
import type { Feature, ServerContext } from '../featureContext';
import { MeasureFixRequest, OptimizeRequest, type OptimizeResponse, type OutcomeSummary } from '../protocol';
import {
  actionTitle,
  candidatesFromEnv,
  FixedCandidateSource,
  formatN,
  formatSpeedup,
  measureRuleFix,
  ModelCandidateSource,
  optimizeFunction,
  outcomeLine,
  resultToText,
  sharedCache,
  speedupSizes,
  type OptimizeResult,
  type Outcome,
} from '../optimize';
import { positions, rangeOf } from './findings';
import { executionSettings, invalidParams, requireTrust, resolveTarget, toResponseError, withWorkDoneProgress } from './request';
import type { Replacement } from '../analysis/rule';

export const ANNOTATION_ID = 'hotpath.verifiedRewrite';

export const NO_MODEL = 'Verified rewrites need a model, and none is configured: Select Model picks one on this machine (a small one ships with Hotpath), Download Model fetches a recommended one.';

/** Is a model configured (a GGUF file, or a remote server)? */
async function modelConfigured(ctx: ServerContext): Promise<boolean> {
  try {
    const c = await ctx.models.config();
    return c.backend === 'remote' ? Boolean(c.remote?.baseUrl) : Boolean(c.modelPath);
  } catch {
    return false;
  }
}

/** Does the function have a finding with a quick fix (a rewrite Hotpath can verify without a model)? */
function ruleFixesIn(ctx: ServerContext, doc: OpenDocument, name: string): boolean {
  const fn = functionsOf(ctx, doc).find((f) => f.name === name);
  return Boolean(fn && doc.analysis?.findings().some((f) => f.fix && f.startIndex >= fn.startIndex && f.endIndex <= fn.endIndex));
}

function summarize(o: Outcome): OutcomeSummary {
  const v = o.verification;
  return {
    round: o.round,
    origin: o.candidate.origin,
    accepted: v.accepted,
    kind: v.kind,
    reason: v.reason,
    line: outcomeLine(o),
    functionText: o.candidate.functionText,
    speedups: v.compare?.speedups.map((p) => ({ n: p.n, speedup: p.speedup, ciLow: p.ciLow, ciHigh: p.ciHigh })),
    baselineClass: v.baselineClass,
    candidateClass: v.candidateClass,
  };
}

/** The edit of a verified outcome on the document, annotated so the editor asks before applying. */
export function annotatedEdit(doc: OpenDocument, replacements: Replacement[], title: string): WorkspaceEdit {
  return {
    documentChanges: [
      {
        textDocument: { uri: doc.uri, version: doc.version },
        edits: replacements.map((r) => ({ range: rangeOf(doc, r.startIndex, r.endIndex), newText: r.newText, annotationId: ANNOTATION_ID })),
      },
    ],
    changeAnnotations: { [ANNOTATION_ID]: { label: title, needsConfirmation: true, description: 'verified by Hotpath: same results on generated inputs, measured faster' } },
  };
}

/** Verified rewrites by document and function, valid while the function's text is unchanged. */
interface Verified {
  name: string;
  /** The document text when verified, and the function's range in it. */
  text: string;
  start: number;
  end: number;
  outcome: Outcome;
}
/** Verified rewrites by document URI and function name (one store per server, kept by the feature). */
type VerifiedStore = Map<string, Map<string, Verified>>;

/** Measured rule fixes by document: valid while the function's text is unchanged. */
interface MeasuredFix {
  code: string;
  functionName: string;
  functionText: string;
  /** The finding's offsets relative to the function's start. */
  start: number;
  end: number;
  outcome: Outcome;
}

/** "measured: 12× faster at n=10⁴", or why it was not verified. */
export function measuredFixText(o: Outcome): string {
  const v = o.verification;
  const s = v.summary;
  if (v.accepted && s) return `measured: ${formatSpeedup(s.speedup)} faster at ${speedupSizes(s)}`;
  const why: Record<string, string> = { 'not-equivalent': 'behaves differently', 'not-faster': 'not measurably faster', slower: 'slower', error: 'failed to run' };
  return `measured: ${why[v.kind ?? ''] ?? 'not verified'}`;
}

function functionsOf(ctx: ServerContext, doc: OpenDocument) {
  const language = execLanguage(doc.languageId);
  if (!language) return [];
  try {
    return topLevelFunctions(ctx.parsers, languageById(language).execution, doc.text);
  } catch {
    return [];
  }
}

/** The verified outcome's replacements moved to the current text, or undefined when stale. */
function currentReplacements(ctx: ServerContext, doc: OpenDocument, v: Verified): Replacement[] | undefined {
  const f = functionsOf(ctx, doc).find((x) => x.name === v.name);
  if (!f || doc.text.slice(f.startIndex, f.endIndex) !== v.text.slice(v.start, v.end)) return undefined;
  const reps = v.outcome.candidate.replacements;
  if (reps.every((r) => r.startIndex >= v.start && r.endIndex <= v.end)) {
    const delta = f.startIndex - v.start;
    return reps.map((r) => ({ ...r, startIndex: r.startIndex + delta, endIndex: r.endIndex + delta }));
  }
  return doc.text === v.text ? reps : undefined;
}

async function settingsOf(ctx: ServerContext): Promise<{ exec: EngineOptions; opt: Record<string, unknown> }> {
  const s = (await ctx.settings.get()) as unknown as Record<string, unknown>;
  return { exec: executionSettings(s), opt: (s.optimize ?? {}) as Record<string, unknown> };
}

function withProgress<T>(ctx: ServerContext, title: string, token: CancellationToken | undefined, work: (signal: AbortSignal, report: (message: string, fraction: number) => void) => Promise<T>): Promise<T> {
  return withWorkDoneProgress(ctx, title, token, (signal, report) => work(signal, (message, fraction) => report(Math.round(fraction * 100), message)));
}

function remember(verified: VerifiedStore, doc: OpenDocument | undefined, target: FunctionTarget, result: OptimizeResult, ctx: ServerContext): void {
  if (!doc || !result.best) return;
  const f = functionsOf(ctx, doc).find((x) => x.name === target.functionName);
  if (!f || doc.text !== target.source) return;
  let byName = verified.get(doc.uri);
  if (!byName) verified.set(doc.uri, (byName = new Map()));
  byName.set(target.functionName, { name: target.functionName, text: doc.text, start: f.startIndex, end: f.endIndex, outcome: result.best });
}

export const feature: Feature = {
  register(ctx) {
    const verified: VerifiedStore = new Map();
    /** Measured rule fixes by document URI (their titles say the measurement while the function is unchanged). */
    const measuredFixes = new Map<string, MeasuredFix[]>();
    ctx.connection.onRequest(OptimizeRequest, async (params, token): Promise<OptimizeResponse> => {
      try {
        requireTrust(ctx, 'Verifying a rewrite');
        const { target, doc } = resolveTarget(ctx, { uri: params.uri, functionName: params.functionName, position: params.position });
        const { exec, opt } = await settingsOf(ctx);
        const o = params.options ?? {};
        const int = (v: unknown, d: number) => (typeof v === 'number' && v >= 1 ? Math.floor(v) : d);
        const rounds = int(o.rounds ?? opt.rounds, 2);
        const candidates = int(o.candidates ?? opt.candidates, 3);
        // Without a model, only Hotpath's own rule fixes can be verified: say so, and fail at once
        // (before measuring anything) when the function has none.
        const injected = candidatesFromEnv(target.functionName);
        const modelUsed = injected !== undefined || (await modelConfigured(ctx));
        if (!modelUsed && !(doc && ruleFixesIn(ctx, doc, target.functionName))) {
          throw new ResponseError(LSPErrorCodes.RequestFailed, NO_MODEL, { kind: 'no-model' });
        }
        const source =
          injected ??
          (modelUsed ? new ModelCandidateSource(() => ctx.models.engine(), { maxTokens: int(o.maxTokens ?? opt.maxTokens, 384) }) : new FixedCandidateSource([[]], 'no model'));
        ctx.log(`optimize ${target.functionName}: ${rounds} round(s) × ${candidates} candidate(s) from ${source.name}`);
        const result = await withProgress(ctx, `Hotpath: optimizing ${target.functionName}`, token, (signal, report) =>
          optimizeFunction(
            ctx.parsers,
            target,
            source,
            {
              ...exec,
              budgetMs: o.budgetMs ?? exec.budgetMs ?? 2000,
              rounds: modelUsed ? rounds : 1,
              candidates,
              measure: modelUsed && (o.measure ?? opt.measureFirst !== false),
              findings: doc?.analysis?.findings(),
              cache: sharedCache,
            },
            { signal, onStep: report },
          ),
        );
        for (const line of resultToText(result).split('\n')) ctx.log(`optimize: ${line}`);
        remember(verified, doc, target, result, ctx);
        let best: OptimizeResponse['best'];
        if (result.best && doc) {
          const v = verified.get(doc.uri)?.get(target.functionName);
          const reps = v ? currentReplacements(ctx, doc, v) : undefined;
          if (reps) {
            const title = actionTitle(result.best);
            best = { title, origin: result.best.candidate.origin, functionText: result.best.candidate.functionText, edit: annotatedEdit(doc, reps, title), replacements: reps, version: doc.version };
          }
        }
        return {
          functionName: result.functionName,
          modelUsed,
          hash: result.hash,
          fromCache: result.fromCache === true,
          outcomes: result.outcomes.map(summarize),
          notes: modelUsed ? result.notes : ['no model is configured: only Hotpath\'s own rule fixes were verified', ...result.notes],
          timings: result.timings,
          text: resultToText(result),
          best,
        };
      } catch (err) {
        throw toResponseError(err, 'optimize');
      }
    });

    ctx.connection.onRequest(MeasureFixRequest, async (params, token) => {
      try {
        requireTrust(ctx, 'Verifying a rewrite');
        const doc = ctx.documents.get(params.uri);
        if (!doc?.analysis) throw invalidParams(`${params.uri} is not open`);
        const version = doc.version;
        const td = positions(doc);
        const start = td.offsetAt(params.range.start);
        const end = td.offsetAt(params.range.end);
        const finding = doc.analysis.recheckUnitAt(start).find((f) => f.code === params.code && f.startIndex === start && f.endIndex === end);
        if (!finding?.fix) throw invalidParams(`no ${params.code} fix at that range (the code changed?)`);
        const fn = functionsOf(ctx, doc).find((f) => f.startIndex <= start && end <= f.endIndex);
        if (!fn) throw invalidParams('only fixes inside a top-level function can be measured');
        const { target } = resolveTarget(ctx, { uri: doc.uri, functionName: fn.name });
        const { exec } = await settingsOf(ctx);
        const outcome = await withProgress(ctx, `Hotpath: measuring the ${params.code} fix`, token, (signal, report) =>
          measureRuleFix(ctx.parsers, target, finding, { ...exec, budgetMs: exec.budgetMs ?? 2000 }, { signal, onProgress: (p) => report(p.message, p.budgetMs ? p.elapsedMs / p.budgetMs / 2 : 0) }),
        );
        ctx.log(`measure fix: ${outcomeLine(outcome)}`);
        const now = ctx.documents.get(doc.uri);
        const list = (measuredFixes.get(doc.uri) ?? []).filter((m) => !(m.code === finding.code && m.functionName === fn.name && m.start === start - fn.startIndex));
        list.push({ code: finding.code, functionName: fn.name, functionText: doc.text.slice(fn.startIndex, fn.endIndex), start: start - fn.startIndex, end: end - fn.startIndex, outcome });
        measuredFixes.set(doc.uri, list);
        const measurement = measuredFixText(outcome);
        // The fix as an edit of the current text, for the client's Apply button (none if the text moved on).
        const edit = now === doc && now.version === version ? { documentChanges: [{ textDocument: { uri: doc.uri, version }, edits: finding.fix.replacements.map((r) => ({ range: rangeOf(doc, r.startIndex, r.endIndex), newText: r.newText })) }] } : undefined;
        return { functionName: fn.name, outcome: summarize(outcome), text: outcomeLine(outcome), title: `${finding.fix.title} (${measurement})`, measurement, edit };
      } catch (err) {
        throw toResponseError(err, 'optimize');
      }
    });

    ctx.codeActionContributors.push(async (doc, params) => {
      if (!ctx.isTrusted() || !execLanguage(doc.languageId) || !doc.analysis) return [];
      const td = positions(doc);
      const start = td.offsetAt(params.range.start);
      const end = td.offsetAt(params.range.end);
      const fn = functionsOf(ctx, doc).find((f) => f.startIndex <= start && end <= f.endIndex);
      const actions: CodeAction[] = [];
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== 'hotpath' || !diagnostic.code) continue;
        const s = td.offsetAt(diagnostic.range.start);
        const e = td.offsetAt(diagnostic.range.end);
        const finding = doc.analysis.recheckUnitAt(s).find((f) => f.code === diagnostic.code && f.startIndex === s && f.endIndex === e);
        if (finding?.fix && fn) {
          actions.push({
            title: `Measure this fix (${finding.fix.title})`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            command: { title: 'Measure this fix', command: 'hotpath.measureFix', arguments: [{ uri: doc.uri, code: String(diagnostic.code), range: diagnostic.range }] },
          });
        }
      }
      if (!fn) return actions;
      const v = verified.get(doc.uri)?.get(fn.name);
      const reps = v ? currentReplacements(ctx, doc, v) : undefined;
      if (v && reps) {
        const title = actionTitle(v.outcome);
        actions.push({ title, kind: CodeActionKind.RefactorRewrite, edit: annotatedEdit(doc, reps, title) });
      } else if (v) verified.get(doc.uri)?.delete(fn.name);
      const hasFinding = doc.analysis.findings().some((f) => f.startIndex >= fn.startIndex && f.endIndex <= fn.endIndex);
      if (hasFinding && !reps) {
        if (candidatesFromEnv(fn.name) || (await modelConfigured(ctx))) {
          actions.push({
            title: 'Optimize with local model',
            kind: CodeActionKind.QuickFix,
            command: { title: 'Optimize with local model', command: 'hotpath.optimizeFunction', arguments: [{ uri: doc.uri, functionName: fn.name }] },
          });
        } else {
          actions.push({
            title: 'Set up a model for verified rewrites…',
            kind: CodeActionKind.QuickFix,
            command: { title: 'Set up a model', command: 'hotpath.setUpModel' },
          });
        }
      }
      return actions;
    });

    // A quick fix that was measured says so in its title, while its function is unchanged.
    ctx.fixTitleContributors.push((doc, finding) => {
      const list = measuredFixes.get(doc.uri);
      if (!list?.length) return undefined;
      const fn = functionsOf(ctx, doc).find((f) => f.startIndex <= finding.startIndex && finding.endIndex <= f.endIndex);
      if (!fn) return undefined;
      const m = list.find((x) => x.code === finding.code && x.functionName === fn.name && x.start === finding.startIndex - fn.startIndex && x.end === finding.endIndex - fn.startIndex);
      return m && m.functionText === doc.text.slice(fn.startIndex, fn.endIndex) ? measuredFixText(m.outcome) : undefined;
    });

    ctx.documents.onDidClose((uri) => {
      verified.delete(uri);
      measuredFixes.delete(uri);
    });
  },
};
