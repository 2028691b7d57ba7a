// The optimize loop (PerfCodeGen / Afterburner style): diagnose, propose K candidates, verify each
// by execution, feed the measurements and counterexamples back for R rounds, keep the best
// verified candidate. Rule-based fixes of findings inside the function are candidates of round 1.
// Results are cached by the content hash of the function and its callees.
import { createHash } from 'node:crypto';
import { applyReplacements } from '../analysis/fixes';
import type { Finding } from '../analysis/rule';
import { benchmarkFunction, ExecutionError, type BenchmarkResult, type FunctionTarget, type RunControl } from '../execution';
import { languageById } from '../languages';
import type { ParserFactory } from '../parsing';
import { candidateFromAnswer } from './candidate';
import { diagnose, findingsIn, specFor } from './diagnose';
import { renderPrompt } from './prompts';
import type { CandidateSource } from './sources';
import type { Candidate, Diagnosis, OptimizeResult, Outcome } from './types';
import { verifyCandidate, type VerifyOptions } from './verify';
import { analyzeText } from '../analysis/analyzeText';

export interface OptimizeOptions extends VerifyOptions {
  /** Rounds of generate → verify → feed back (default 2). */
  rounds?: number;
  /** Candidates per round (default 3). */
  candidates?: number;
  /** Verify the rule catalog's fixes of findings inside the function in round 1 (default true). */
  ruleFixes?: boolean;
  /** Findings of the source (the editor's analysis); computed otherwise. */
  findings?: Finding[];
  /** A measurement of the function, for the prompt. */
  measured?: BenchmarkResult;
  /** Measure the function before round 1 when no measurement is given (the curve enters the prompt). */
  measure?: boolean;
  cache?: OptimizeCache;
}

export interface OptimizeControl extends RunControl {
  /** A line for progress: "round 1: verifying candidate 2/3". */
  onStep?: (message: string, fraction: number) => void;
}

/** Results by content hash (LRU): the same function is not optimized twice. */
export class OptimizeCache {
  private readonly map = new Map<string, OptimizeResult>();
  constructor(private readonly capacity = 64) {}
  get(key: string): OptimizeResult | undefined {
    const r = this.map.get(key);
    if (r) {
      this.map.delete(key);
      this.map.set(key, r);
    }
    return r;
  }
  set(key: string, r: OptimizeResult): void {
    this.map.delete(key);
    this.map.set(key, r);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
  /** Cached results whose function text is `functionText` (for code actions on the current text). */
  find(predicate: (r: OptimizeResult) => boolean): OptimizeResult | undefined {
    for (const r of this.map.values()) if (predicate(r)) return r;
    return undefined;
  }
  clear(): void {
    this.map.clear();
  }
}

export const sharedCache = new OptimizeCache();

/** The cache key: language, the function and its callees, the source of candidates and the settings. */
export function contentHash(d: Diagnosis, extra: string): string {
  const h = createHash('sha256').update(d.language).update('\0').update(d.functionText);
  for (const c of d.callees) h.update('\0').update(c.text);
  return h.update('\0').update(extra).digest('hex').slice(0, 24);
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A rule fix as a candidate: its replacements, and the function's text after them. */
export function ruleFixCandidate(d: Diagnosis, finding: Finding): Candidate | undefined {
  if (!finding.fix) return undefined;
  const inside = finding.fix.replacements.filter((r) => r.startIndex >= d.startIndex && r.endIndex <= d.endIndex);
  const functionText = applyReplacements(d.functionText, inside.map((r) => ({ ...r, startIndex: r.startIndex - d.startIndex, endIndex: r.endIndex - d.startIndex })));
  return { origin: `rule ${finding.code}`, replacements: finding.fix.replacements, functionText };
}

export async function optimizeFunction(parsers: ParserFactory, target: FunctionTarget, source: CandidateSource, opts: OptimizeOptions = {}, ctl: OptimizeControl = {}): Promise<OptimizeResult> {
  const t0 = Date.now();
  const rounds = Math.max(1, Math.floor(opts.rounds ?? 2));
  const perRound = Math.max(1, Math.floor(opts.candidates ?? 3));
  const { rounds: _r, candidates: _c, ruleFixes, findings: givenFindings, measured, measure, cache, ...verifyOpts } = opts;
  const findings = givenFindings ?? analyzeText(specFor(target.language, target.file), parsers, target.source);
  const d = diagnose(parsers, { language: target.language, source: target.source, functionName: target.functionName, file: target.file, findings, measured });
  const hash = contentHash(d, JSON.stringify([source.name, rounds, perRound, ruleFixes !== false, Boolean(measure), verifyOpts.metric ?? 'time', verifyOpts.thresholds ?? {}]));
  const cached = cache?.get(hash);
  if (cached) return { ...cached, fromCache: true };

  const outcomes: Outcome[] = [];
  const prompts: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  let best: Outcome | undefined;
  let generationMs = 0;
  let verificationMs = 0;
  const step = (m: string, f: number) => ctl.onStep?.(m, Math.max(0, Math.min(1, f)));
  const check = () => {
    if (ctl.signal?.aborted) throw new ExecutionError('cancelled', 'cancelled');
  };

  if (measure && !d.measured) {
    step('measuring the function', 0);
    const m0 = Date.now();
    try {
      const { thresholds: _t, ...engineOpts } = verifyOpts;
      // It measures to pick a rewrite, not to report a class: no second sweep.
      const b = await benchmarkFunction(target, { ...engineOpts, languages: languageById, stabilityCheck: false }, { signal: ctl.signal, onProgress: ctl.onProgress });
      d.measured = { complexity: b.complexity, exponent: b.fit.exponent, points: b.points.filter((p) => !p.censored).map((p) => ({ n: p.n, seconds: p.median })) };
    } catch (err) {
      check();
      notes.push(`measuring the function failed: ${((err as Error)?.message ?? String(err)).split('\n')[0]}`);
    }
    verificationMs += Date.now() - m0;
  }

  for (let round = 1; round <= rounds; round++) {
    check();
    const prompt = renderPrompt(d, outcomes.slice(-6), best);
    prompts.push(prompt);
    step(`round ${round}/${rounds}: generating ${perRound} candidate(s)`, (round - 1) / rounds);
    const g0 = Date.now();
    const candidates: { candidate?: Candidate; rejected?: Outcome; generationMs?: number }[] = [];
    if (round === 1 && ruleFixes !== false) {
      for (const f of findingsIn(findings, d.startIndex, d.endIndex)) {
        const c = ruleFixCandidate(d, f);
        if (c) candidates.push({ candidate: c });
      }
    }
    let answers: import("./sources").ProposedAnswer[];
    try {
      answers = await source.propose({ diagnosis: d, prompt, round, count: perRound, signal: ctl.signal });
    } catch (err) {
      check();
      notes.push(`round ${round}: generation failed: ${(err as Error)?.message ?? err}`);
      answers = [];
    }
    generationMs += Date.now() - g0;
    answers.forEach((a, i) => {
      const origin = `${source.name.startsWith('fixed') ? 'injected' : 'model'} #${i + 1}`;
      const parsed = candidateFromAnswer(parsers, target.language, target.source, target.functionName, a.text, origin, target.file);
      if (parsed.ok) candidates.push({ candidate: parsed.candidate, generationMs: a.generationMs });
      else
        candidates.push({
          rejected: {
            round,
            candidate: { origin, replacements: [], functionText: a.text.slice(0, 2000) },
            verification: { accepted: false, kind: parsed.kind, reason: parsed.reason },
            generationMs: a.generationMs,
          },
        });
    });
    for (let i = 0; i < candidates.length; i++) {
      check();
      const c = candidates[i];
      if (c.rejected) {
        outcomes.push(c.rejected);
        continue;
      }
      const cand = c.candidate!;
      const key = normalise(cand.replacements.map((r) => `${r.startIndex}:${r.endIndex}:${r.newText}`).join('|'));
      if (seen.has(key)) {
        outcomes.push({ round, candidate: cand, verification: { accepted: false, kind: 'duplicate', reason: 'same as an earlier candidate' }, generationMs: c.generationMs });
        continue;
      }
      seen.add(key);
      step(`round ${round}/${rounds}: verifying ${cand.origin} (${i + 1}/${candidates.length})`, (round - 1 + (i + 0.5) / candidates.length) / rounds);
      const v0 = Date.now();
      const v = await verifyCandidate(target, cand, verifyOpts, { signal: ctl.signal, onProgress: ctl.onProgress });
      verificationMs += Date.now() - v0;
      const o: Outcome = { round, candidate: cand, verification: v, generationMs: c.generationMs };
      outcomes.push(o);
      if (!d.measured && v.compare?.baseline?.points.length) {
        const b = v.compare.baseline;
        d.measured = { complexity: b.complexity, exponent: b.fit.exponent, points: b.points.filter((p) => !p.censored).map((p) => ({ n: p.n, seconds: p.median })) };
      }
      if (v.accepted && (!best || (v.summary?.speedup ?? 0) > (best.verification.summary?.speedup ?? 0))) best = o;
    }
  }
  for (const n of source.notes ?? []) notes.push(n);
  const result: OptimizeResult = {
    functionName: target.functionName,
    language: target.language,
    hash,
    rounds,
    outcomes,
    best,
    prompts,
    timings: { generationMs, verificationMs, totalMs: Date.now() - t0 },
    notes,
  };
  cache?.set(hash, result);
  return result;
}

/** "Measure this fix": verify a rule fix (a finding's `fix`) like any candidate. */
export async function measureRuleFix(parsers: ParserFactory, target: FunctionTarget, finding: Finding, opts: VerifyOptions = {}, ctl: RunControl = {}): Promise<Outcome> {
  const d = diagnose(parsers, { language: target.language, source: target.source, functionName: target.functionName, file: target.file, findings: [finding] });
  const cand = ruleFixCandidate(d, finding);
  if (!cand) throw new Error(`${finding.code} has no fix`);
  const v = await verifyCandidate(target, cand, opts, ctl);
  return { round: 1, candidate: cand, verification: v };
}
