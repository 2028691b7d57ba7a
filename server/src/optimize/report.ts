// Human-readable results: the code action title ("Replace with verified rewrite: 14× faster at
// n=10⁵, O(n²) → O(n)"), one line per rejected candidate, and the text report of the CLI and the
// output channel.
import type { OptimizeResult, Outcome, Verification } from './types';

const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** n as written in titles: 10⁵ for exact powers of ten from 1000, else the integer. */
export function formatN(n: number): string {
  if (n >= 1000) {
    const k = Math.round(Math.log10(n));
    if (10 ** k === n) return `10${String(k).replace(/\d/g, (c) => SUP[c])}`;
  }
  return String(Math.round(n));
}

/** "O(n^2)" → "O(n²)". */
export function prettyClass(c: string): string {
  return c.replace(/\^(\d+)/g, (_m, d: string) => d.replace(/\d/g, (x) => SUP[x])).replace(/\^n/g, 'ⁿ');
}

export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '∞×';
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(x >= 2 ? 1 : 2)}×`;
}

/** The measurement part of a title: "14× faster at n=10⁵, O(n²) → O(n)". */
export function measurementText(v: Verification): string {
  const s = v.summary;
  if (!s) return v.reason;
  const classes = v.baselineClass && v.candidateClass && v.baselineClass !== v.candidateClass ? `, ${prettyClass(v.baselineClass)} → ${prettyClass(v.candidateClass)}` : '';
  return `${formatSpeedup(s.speedup)} faster at n=${formatN(s.n)} (95% CI ${formatSpeedup(s.ciLow)}–${formatSpeedup(s.ciHigh)})${classes}`;
}

export function actionTitle(o: Outcome): string {
  const s = o.verification.summary;
  if (!s) return 'Replace with verified rewrite';
  const classes = o.verification.baselineClass && o.verification.candidateClass && o.verification.baselineClass !== o.verification.candidateClass
    ? `, ${prettyClass(o.verification.baselineClass)} → ${prettyClass(o.verification.candidateClass)}`
    : '';
  return `Replace with verified rewrite: ${formatSpeedup(s.speedup)} faster at n=${formatN(s.n)}${classes}`;
}

export function outcomeLine(o: Outcome): string {
  const v = o.verification;
  return `round ${o.round} ${o.candidate.origin}: ${v.accepted ? 'VERIFIED' : `rejected (${v.kind ?? 'error'})`}: ${v.accepted ? measurementText(v) : v.reason}`;
}

export function resultToText(r: OptimizeResult): string {
  const lines: string[] = [];
  lines.push(`optimize ${r.functionName} (${r.language}): ${r.outcomes.length} candidate(s) in ${r.rounds} round(s)${r.fromCache ? ' (cached)' : ''}`);
  for (const o of r.outcomes) {
    lines.push(`  ${outcomeLine(o)}`);
    const d = o.verification.counterexample;
    if (d) lines.push(`      at n=${d.n}, seed ${d.seed}: input ${d.input}; expected ${d.expected}; got ${d.actual}`);
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  if (r.best) {
    lines.push(`best: ${r.best.candidate.origin}: ${measurementText(r.best.verification)}`);
    lines.push('--- rewrite ---', r.best.candidate.functionText, '---');
  } else lines.push('no verified rewrite: nothing to offer');
  lines.push(`time: generation ${(r.timings.generationMs / 1000).toFixed(1)} s, verification ${(r.timings.verificationMs / 1000).toFixed(1)} s, total ${(r.timings.totalMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
