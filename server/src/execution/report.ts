// Text and Markdown renderings of benchmark and compare results (CLI output, "copy as Markdown").
import { describeExample } from './examples';
import { formatQuantity, formatRange, prettyClass } from '../notation';
import type { BenchmarkResult, CompareResult, Point } from './types';

/** One notation everywhere (../notation.ts): three significant digits, the unit that suits the value. */
export function formatValue(v: number, unit: 's' | 'instructions'): string {
  return formatQuantity(v, unit);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

export function fitLine(r: BenchmarkResult): string {
  const f = r.fit;
  if (!f.models.length) return `complexity: unknown (${f.notes.join('; ')})`;
  const base = f.base ? `, base ${f.base.toFixed(2)}` : '';
  const unstable = r.stability && !r.stability.stable ? ` — unstable: a second independent sweep fitted ${prettyClass(r.stability.complexity)}` : '';
  return `complexity: ${prettyClass(r.complexity)}${unstable} (confidence ${pct(f.confidence)}${base}; fitted ${formatValue(f.constant, r.unit)}·f(n)${f.linear ? ` + ${formatValue(f.linear, r.unit)}·n` : ''} + ${formatValue(f.intercept, r.unit)}; R² ${f.r2.toFixed(3)} on log scale; measured exponent ${Number.isFinite(f.exponent) ? f.exponent.toFixed(2) : '—'}${Number.isFinite(f.exponentCi[0]) ? ` [${f.exponentCi[0].toFixed(2)}, ${f.exponentCi[1].toFixed(2)}]` : ''})`;
}

/** `sizeLegend`: what n is, in the code lens's names (the front end knows the language: notation.inputSizeLegend). */
function inputsLine(r: BenchmarkResult, sizeLegend?: string): string {
  const legend = sizeLegend ? `; ${sizeLegend}` : '';
  if (r.inputs.kind === 'generator') return `inputs: generator ${r.inputs.generator}(n, rng), seed ${r.seed}${legend}`;
  const ex = r.inputs.example;
  if (r.inputs.kind === 'example' && ex) return `inputs: ${describeExample(ex)}; seed ${r.seed}${legend}`;
  const origin = (p: BenchmarkResult['inputs']['params'][number]) =>
    p.source === 'name' ? ' (guessed from the name)' : p.source === 'usage' ? ` (inferred from its uses${p.evidence?.length ? `: ${p.evidence.slice(0, 3).join(', ')}` : ''})` : '';
  return `inputs: ${r.inputs.params.map((p) => `${p.name}: ${p.type}${origin(p)}`).join(', ')}; seed ${r.seed}${legend}`;
}

/** Under which isolation the code ran; loud when it ran unsandboxed. */
export function isolationLine(r: BenchmarkResult): string {
  const i = r.integrity.isolation;
  return i.kind === 'none' ? `WARNING: ${i.description}` : `isolation: ${i.description}`;
}

function row(p: Point, unit: 's' | 'instructions'): string[] {
  if (p.censored) return [String(p.n), `> ${formatValue(p.median, unit)} (limit)`, '', '', '', '', ''];
  return [
    String(p.n),
    formatValue(p.median, unit),
    formatRange(p.ciLow, p.ciHigh, unit),
    formatValue(p.mad, unit),
    `±${(p.rme * 100).toFixed(1)}%`,
    `${p.samples}×${p.batch}`,
    String(p.outliers),
  ];
}

const HEAD = ['n', 'median', '95% CI', 'MAD', 'rme', 'samples×calls', 'outliers'];

function table(rows: string[][], markdown: boolean): string {
  if (markdown) {
    return [`| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** The static estimate beside the measured class: "static estimate: O(n²) — measured O(n log n): why". */
function staticLines(r: BenchmarkResult): string[] {
  const e = r.staticEstimate;
  if (!e) return [];
  return [e.agrees ? `static estimate: ${e.display}, as measured` : `static estimate: ${e.display}, measured ${prettyClass(r.complexity)}: ${e.explanation.replace(/^the static estimate \S+ /, '')}`];
}

export function toText(r: BenchmarkResult, sizeLegend?: string): string {
  const lines = [
    `${r.function} (${r.language}${r.file ? `, ${r.file}` : ''}): ${r.metric === 'time' ? 'time per call' : 'instructions per call'}`,
    inputsLine(r, sizeLegend),
    '',
    table([HEAD, ...r.points.map((p) => row(p, r.unit))], false),
    '',
    fitLine(r),
    ...staticLines(r),
    `stopped by: ${r.stoppedBy}; ${(r.elapsedMs / 1000).toFixed(1)} s`,
    isolationLine(r),
  ];
  for (const n of r.fit.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function toMarkdown(r: BenchmarkResult, sizeLegend?: string): string {
  const lines = [
    `### \`${r.function}\`: ${prettyClass(r.complexity)}`,
    '',
    `${inputsLine(r, sizeLegend)}; ${r.metric === 'time' ? 'time per call' : 'instructions per call (callgrind)'}`,
    '',
    table([HEAD, ...r.points.map((p) => row(p, r.unit))], true),
    '',
    fitLine(r),
    ...staticLines(r).map((x) => `\n${x}`),
  ];
  for (const n of r.fit.notes) lines.push(`- ${n}`);
  lines.push('', isolationLine(r));
  return lines.join('\n');
}

function speedupRows(c: CompareResult): string[][] {
  const unit = c.baseline.unit;
  return [
    ['n', c.baseline.function, c.candidate.function, 'speedup', '95% CI'],
    ...c.speedups.map((s) => [
      String(s.n),
      s.baseline.censored ? `> ${formatValue(s.baseline.median, unit)}` : formatValue(s.baseline.median, unit),
      s.candidate.censored ? `> ${formatValue(s.candidate.median, unit)}` : formatValue(s.candidate.median, unit),
      `${s.speedup.toFixed(2)}×`,
      `[${s.ciLow.toFixed(2)}, ${Number.isFinite(s.ciHigh) ? s.ciHigh.toFixed(2) : '∞'}]`,
    ]),
  ];
}

function equivalenceLines(c: CompareResult): string[] {
  const e = c.equivalence;
  if (c.rejection) return [`REJECTED: ${c.rejection}`];
  if (e.equivalent) return [`equivalence: same results, argument mutations, global state and exception types on ${e.inputs} inputs (each version in its own process, each input called twice)`];
  const d = e.difference!;
  return [
    `REJECTED: ${c.candidate.function} behaves differently from ${c.baseline.function} (${d.what}) at n=${d.n}, seed ${d.seed}`,
    `  input:    ${d.input}`,
    `  expected: ${d.expected}`,
    `  actual:   ${d.actual}`,
  ];
}

export function compareToText(c: CompareResult): string {
  const lines = equivalenceLines(c);
  if (c.verdict !== 'rejected') {
    lines.push('', table(speedupRows(c), false), '');
    lines.push(`${c.baseline.function}: ${fitLine(c.baseline)}`);
    lines.push(`${c.candidate.function}: ${fitLine(c.candidate)}`);
    if (c.summary) lines.push(`verdict: ${c.verdict} (${c.summary.speedup.toFixed(2)}× at n=${c.summary.sizes && c.summary.sizes.length > 1 ? `${c.summary.sizes[0]}–${c.summary.n} (median of ${c.summary.sizes.length} sizes)` : c.summary.n}, 95% CI [${c.summary.ciLow.toFixed(2)}, ${Number.isFinite(c.summary.ciHigh) ? c.summary.ciHigh.toFixed(2) : '∞'}])`);
    for (const f of c.candidate.integrity.flags) lines.push(`FLAGGED: ${c.candidate.function}: ${f}`);
    for (const n of [...c.baseline.fit.notes.map((x) => `${c.baseline.function}: ${x}`), ...c.candidate.fit.notes.filter((x) => !c.candidate.integrity.flags.includes(x)).map((x) => `${c.candidate.function}: ${x}`)]) lines.push(`note: ${n}`);
  }
  lines.push(isolationLine(c.candidate));
  return lines.join('\n');
}

export function compareToMarkdown(c: CompareResult): string {
  const lines = [`### \`${c.baseline.function}\` vs \`${c.candidate.function}\`: ${c.verdict}`, '', ...equivalenceLines(c).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l))];
  if (c.verdict !== 'rejected') {
    lines.push('', table(speedupRows(c), true), '', `- ${c.baseline.function}: ${fitLine(c.baseline)}`, `- ${c.candidate.function}: ${fitLine(c.candidate)}`);
    for (const f of c.candidate.integrity.flags) lines.push(`- **flagged**: ${f}`);
  }
  lines.push('', isolationLine(c.candidate));
  return lines.join('\n');
}
