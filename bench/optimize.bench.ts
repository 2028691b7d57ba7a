// `npm run bench -- optimize`: the verification step of "Optimize with local model" on the
// slow/fast pairs of bench/optimize/ (PIE-style edits, Python and JavaScript). Each pair's fast
// version is given as the candidate and must be verified (equivalent, faster beyond the noise);
// each planted wrong rewrite (off-by-one, mutated argument, swallowed exception, wrong on large
// inputs only) and the equivalent-but-not-faster one must be rejected. Prints the table and
// writes bench/optimize.md. Exit 1 when a verdict is not the expected one.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadParserFactory } from '../server/src/parsing';
import { candidateFromAnswer, formatN, prettyClass, verifyCandidate } from '../server/src/optimize';
import { loadPairs } from '../server/src/optimize/pairs';

const BUDGET_MS = Number(process.env.HOTPATH_BENCH_BUDGET ?? 1500);

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const parsers = await loadParserFactory('wasm');
  const pairs = loadPairs(parsers, join(root, 'bench', 'optimize'));
  const rows: string[][] = [];
  let wrong = 0;
  let total = 0;
  const t0 = Date.now();
  for (const p of pairs) {
    for (const v of p.variants) {
      total++;
      const c = candidateFromAnswer(parsers, p.language, p.source, p.functionName, v.code, v.label, p.file);
      const s0 = Date.now();
      let verdict: string;
      let speedup = '';
      let classes = '';
      let reason: string;
      let accepted = false;
      if (!c.ok) {
        verdict = `rejected (${c.kind})`;
        reason = c.reason;
      } else {
        const r = await verifyCandidate({ language: p.language, source: p.source, functionName: p.functionName, file: p.file }, c.candidate, { budgetMs: BUDGET_MS });
        accepted = r.accepted;
        verdict = r.accepted ? 'verified' : `rejected (${r.kind})`;
        if (r.summary) speedup = `${r.summary.speedup.toFixed(r.summary.speedup >= 10 ? 0 : 2)}× [${r.summary.ciLow.toFixed(2)}, ${r.summary.ciHigh.toFixed(2)}] at n=${formatN(r.summary.n)}`;
        if (r.baselineClass && r.candidateClass) classes = `${prettyClass(r.baselineClass)} → ${prettyClass(r.candidateClass)}`;
        reason = r.accepted ? '' : r.reason;
      }
      const ok = accepted === (v.expect === 'accept');
      if (!ok) wrong++;
      rows.push([p.id, p.language === 'python' ? 'py' : 'js', v.label, v.expect, verdict, ok ? 'ok' : 'WRONG', speedup, classes, `${((Date.now() - s0) / 1000).toFixed(1)} s`, reason]);
      console.error(`${p.id} ${v.label}: ${verdict}${ok ? '' : '  <-- unexpected'}`);
    }
  }
  const header = ['pair', 'lang', 'candidate', 'expected', 'verdict', '', 'speedup [95% CI] at largest n', 'classes', 'time', 'reason'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i].length, i === 9 ? 70 : 999))));
  const line = (r: string[]) => r.map((c, i) => (i === 9 ? c.slice(0, 90) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const summary = `${total - wrong}/${total} verdicts as expected (${pairs.length} pairs; budget ${BUDGET_MS} ms per sweep, compare 2×; ${((Date.now() - t0) / 1000).toFixed(0)} s in all)`;
  console.log(summary);
  const md = [
    '# Verification of slow → fast rewrites (`npm run bench -- optimize`)',
    '',
    `Machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}; ${new Date().toISOString().slice(0, 10)}. Thresholds: lower 95% CI bound of the speedup > 1.1 at the largest size both finished; no size where the original takes ≥ 1 ms per call with an upper bound < 0.9 (slower sizes below that are reported as a crossover).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
    '',
    summary,
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'optimize.md'), md);
  process.exitCode = wrong ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
