// Human-readable results: the code action title ("Replace with verified rewrite: 14× faster at
// n=10⁵, O(n²) → O(n)"), one line per rejected candidate, and the text report of the CLI and the
// output channel.
import { formatN, formatSpeedup, prettyClass } from '../notation';
import type { OptimizeResult, Outcome, Verification } from './types';

export { formatN, formatSpeedup, prettyClass };

/** Where a headline speedup holds: "n=10⁴", or "n=2.5k–10⁴" when it is the median over the largest sizes. */
export function speedupSizes(s: { n: number; sizes?: number[] }): string {
  return s.sizes && s.sizes.length > 1 ? `n=${formatN(s.sizes[0])}–${formatN(s.n)}` : `n=${formatN(s.n)}`;
}

/** The measurement part of a title: "14× faster at n=10⁵, O(n²) → O(n)". */
export function measurementText(v: Verification): string {
  const s = v.summary;
  if (!s) return v.reason;
  const classes = v.baselineClass && v.candidateClass && v.baselineClass !== v.candidateClass ? `, ${prettyClass(v.baselineClass)} → ${prettyClass(v.candidateClass)}` : '';
  return `${formatSpeedup(s.speedup)} faster at ${speedupSizes(s)} (95% CI ${formatSpeedup(s.ciLow)}–${formatSpeedup(s.ciHigh)})${classes}`;
}

export function actionTitle(o: Outcome): string {
  const s = o.verification.summary;
  if (!s) return 'Replace with verified rewrite';
  const classes = o.verification.baselineClass && o.verification.candidateClass && o.verification.baselineClass !== o.verification.candidateClass
    ? `, ${prettyClass(o.verification.baselineClass)} → ${prettyClass(o.verification.candidateClass)}`
    : '';
  return `Replace with verified rewrite: ${formatSpeedup(s.speedup)} faster at ${speedupSizes(s)}${classes}`;
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
