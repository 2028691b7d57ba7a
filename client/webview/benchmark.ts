// Hotpath benchmark webview (bundled by scripts/build.mjs into media/benchmark/main.js; chart.js is
// loaded before it): renders a benchmark or compare response from the extension as a log–log chart of
// time (or instructions) against n with each version's fitted curve, a table of the points, what the
// columns mean, the fit's warnings naming the function, and actions: Re-run, Larger Sizes, Copy as
// Markdown. Numbers and classes are written as everywhere else in Hotpath (server/src/notation.ts).
import { formatQuantity, formatRange, prettyClass, type QuantityUnit } from '../../server/src/notation';
import type { BenchmarkResponse, CompareResponse, Curve } from '../../server/src/protocol';

type BenchmarkResult = BenchmarkResponse['result'];
type ChartLike = { destroy(): void };
declare const Chart: new (canvas: HTMLCanvasElement, config: unknown) => ChartLike;
declare function acquireVsCodeApi(): { postMessage(m: unknown): void; setState(s: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let chart: ChartLike | undefined;

const COLORS = ['#4e9bd6', '#e8a33d', '#3fb950', '#d2697c'];

type Child = Node | string;
function el(tag: string, attrs: Record<string, string | ((e: Event) => void)> = {}, children: Child[] = []): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v as string;
    else if (k === 'text') e.textContent = v as string;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v as (e: Event) => void);
    else e.setAttribute(k, v as string);
  }
  for (const c of children) e.append(c);
  return e;
}

/** What each column means, as a tooltip on its header and in the guide under the table. */
const COLUMNS: Record<string, string> = {
  n: 'the input size (see what n is above)',
  median: 'the median time of one call over the samples',
  '95% CI': 'the 95% confidence interval of the median (from the order statistics of the samples; no distribution assumed)',
  MAD: 'median absolute deviation: how far a typical sample lies from the median (the spread)',
  rme: 'relative margin of error: half the width of the 95% CI, as a share of the median',
  'samples × calls': 'samples taken × calls timed together in each sample (short calls are batched)',
  outliers: 'samples with a modified z-score over 3.5 (about 5 MADs from the median, as hyperfine flags them): counted here, kept in the statistics',
};

function fitSummary(r: BenchmarkResult): string {
  const f = r.fit;
  if (!f.models || !f.models.length) return 'complexity unknown';
  const exp = Number.isFinite(f.exponent) ? `, measured exponent ${f.exponent.toFixed(2)}${Number.isFinite(f.exponentCi[0]) ? ` (95% CI ${f.exponentCi[0].toFixed(2)}–${f.exponentCi[1].toFixed(2)})` : ''}` : '';
  return `${prettyClass(r.complexity)}: confidence ${Math.round(f.confidence * 100)}%${f.base ? `, base ${f.base.toFixed(2)}` : ''}, R² ${f.r2.toFixed(3)}${exp}`;
}

function header(names: string[]): HTMLElement {
  return el('tr', {}, names.map((h) => el('th', { text: h, ...(COLUMNS[h] ? { title: COLUMNS[h] } : {}) })));
}

function pointsTable(r: BenchmarkResult): HTMLElement {
  const unit = r.unit as QuantityUnit;
  const rows = r.points.map((p) =>
    p.censored
      ? el('tr', {}, [el('td', { text: String(p.n) }), el('td', { class: 'censored', text: `> ${formatQuantity(p.median, unit)} (per-call limit)` }), el('td'), el('td'), el('td'), el('td'), el('td')])
      : el(
          'tr',
          {},
          [String(p.n), formatQuantity(p.median, unit), formatRange(p.ciLow, p.ciHigh, unit), formatQuantity(p.mad, unit), `±${(p.rme * 100).toFixed(1)}%`, `${p.samples} × ${p.batch}`, String(p.outliers)].map((t) => el('td', { text: t })),
        ),
  );
  return el('table', {}, [header(['n', 'median', '95% CI', 'MAD', 'rme', 'samples × calls', 'outliers']), ...rows]);
}

function guide(): HTMLElement {
  return el('details', { class: 'guide' }, [el('summary', { text: 'What the columns mean' }), el('dl', {}, Object.entries(COLUMNS).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))]);
}

/** The fit's warnings, each naming the function it is about. */
function warnings(list: { fn: string; note: string }[]): HTMLElement {
  return list.length ? el('ul', { class: 'notes' }, list.map((w) => el('li', {}, ['⚠ ', el('b', { text: w.fn }), `: ${w.note}`]))) : el('span');
}

function drawChart(canvas: HTMLCanvasElement, results: BenchmarkResult[], curves: Curve[], legend: string): void {
  chart?.destroy();
  const unit = results[0].unit as QuantityUnit;
  const datasets: unknown[] = [];
  results.forEach((r, i) => {
    const color = COLORS[i % COLORS.length];
    datasets.push({ type: 'scatter', label: `${r.function} (measured)`, data: r.points.filter((p) => !p.censored).map((p) => ({ x: Math.max(p.n, 1), y: p.median, ci: [p.ciLow, p.ciHigh] })), backgroundColor: color, borderColor: color, pointRadius: 4 });
    const censored = r.points.filter((p) => p.censored);
    if (censored.length) datasets.push({ type: 'scatter', label: `${r.function} (past the limit)`, data: censored.map((p) => ({ x: Math.max(p.n, 1), y: p.median })), backgroundColor: 'transparent', borderColor: color, pointStyle: 'triangle', pointRadius: 7 });
    const c = curves.find((x) => x.label === r.function);
    if (c) datasets.push({ type: 'line', label: `${r.function} fit ${prettyClass(c.complexity)}`, data: c.points.map((p) => ({ x: p.n, y: p.y })), borderColor: color, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, fill: false });
  });
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground') || '#ccc';
  const grid = 'rgba(128,128,128,0.2)';
  chart = new Chart(canvas, {
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: legend, color: fg }, ticks: { color: fg }, grid: { color: grid } },
        y: { type: 'logarithmic', title: { display: true, text: unit === 'instructions' ? 'instructions per call' : 'time per call', color: fg }, ticks: { color: fg, callback: (v: number) => formatQuantity(v, unit) }, grid: { color: grid } },
      },
      plugins: {
        legend: { labels: { color: fg } },
        tooltip: {
          callbacks: {
            label: (ctx: { dataset: { label: string }; raw: { x: number; y: number; ci?: [number, number] } }) =>
              `${ctx.dataset.label}: n=${Math.round(ctx.raw.x)}, ${formatQuantity(ctx.raw.y, unit)}${ctx.raw.ci ? ` (95% CI ${formatRange(ctx.raw.ci[0], ctx.raw.ci[1], unit)})` : ''}`,
          },
        },
      },
    },
  });
}

/** Under which sandbox the code ran (a warning when it ran without one). */
function isolation(r: BenchmarkResult): HTMLElement {
  const i = r.integrity?.isolation;
  if (!i) return el('span');
  return el('p', { class: i.kind === 'none' ? 'verdict rejected' : 'muted', text: (i.kind === 'none' ? 'Warning: ' : '') + i.description });
}

function toolbar(): HTMLElement {
  return el('div', { class: 'toolbar' }, [
    el('button', { text: 'Re-run', title: 'Measure again with the same settings', onclick: () => vscode.postMessage({ type: 'rerun' }) }),
    el('button', { text: 'Larger Sizes', title: 'Measure again up to 8× the largest size, with three times the time budget', onclick: () => vscode.postMessage({ type: 'larger' }) }),
    el('button', { text: 'Copy as Markdown', onclick: () => vscode.postMessage({ type: 'copy' }) }),
  ]);
}

function inputsLine(r: BenchmarkResult): string {
  const inputs = r.inputs.kind === 'generator' ? `inputs from ${r.inputs.generator}(n, rng)` : `inputs: ${r.inputs.params.map((p) => `${p.name}: ${p.type}${p.source === 'name' ? ' (guessed from the name)' : ''}`).join(', ')}`;
  return `${inputs} · seed ${r.seed} · ${r.metric === 'time' ? 'time per call' : 'instructions per call (callgrind)'} · stopped by ${r.stoppedBy} after ${(r.elapsedMs / 1000).toFixed(1)} s`;
}

function renderBenchmark(resp: BenchmarkResponse): void {
  const r = resp.result;
  const canvas = el('canvas') as HTMLCanvasElement;
  const legend = resp.sizeLegend;
  app.replaceChildren(
    el('h2', { text: `${r.function}: ${prettyClass(r.complexity)}` }),
    el('p', { class: 'muted', text: inputsLine(r) }),
    el('p', { class: 'muted', text: legend }),
    el('p', { text: fitSummary(r) }),
    warnings(r.fit.notes.map((note) => ({ fn: r.function, note }))),
    el('div', { class: 'chart' }, [canvas]),
    pointsTable(r),
    guide(),
    isolation(r),
    toolbar(),
  );
  drawChart(canvas, [r], resp.curves, legend);
}

function renderCompare(resp: CompareResponse): void {
  const c = resp.result;
  const title = `${c.baseline.function} vs ${c.candidate.function}`;
  if (c.verdict === 'rejected' && !c.equivalence.difference) {
    app.replaceChildren(el('h2', { text: title }), el('p', { class: 'verdict rejected', text: `Rejected: ${c.rejection ?? 'the measurement cannot be trusted'}` }), isolation(c.candidate), toolbar());
    return;
  }
  if (c.verdict === 'rejected') {
    const d = c.equivalence.difference!;
    app.replaceChildren(
      el('h2', { text: title }),
      el('p', { class: 'verdict rejected', text: `Rejected: ${c.candidate.function} behaves differently (${d.what}) at n=${d.n}, seed ${d.seed}` }),
      el('pre', { class: 'diff', text: `input:    ${d.input}\nexpected: ${d.expected}\nactual:   ${d.actual}` }),
      toolbar(),
    );
    return;
  }
  const unit = c.baseline.unit as QuantityUnit;
  const canvas = el('canvas') as HTMLCanvasElement;
  const s = c.summary;
  const legend = resp.sizeLegend;
  const rows = c.speedups.map((x) =>
    el(
      'tr',
      {},
      [
        String(x.n),
        (x.baseline.censored ? '> ' : '') + formatQuantity(x.baseline.median, unit),
        (x.candidate.censored ? '> ' : '') + formatQuantity(x.candidate.median, unit),
        `${x.speedup.toFixed(2)}×`,
        `${x.ciLow.toFixed(2)}–${Number.isFinite(x.ciHigh) ? x.ciHigh.toFixed(2) : '∞'}×`,
      ].map((t) => el('td', { text: t })),
    ),
  );
  app.replaceChildren(
    el('h2', { text: title }),
    el('p', { class: `verdict ${c.verdict}`, text: c.verdict + (s ? `: ${s.speedup.toFixed(2)}× at n=${s.n} (95% CI ${s.ciLow.toFixed(2)}–${Number.isFinite(s.ciHigh) ? s.ciHigh.toFixed(2) : '∞'}×)` : '') }),
    el('p', { class: 'muted', text: `Equivalent on ${c.equivalence.inputs} inputs (return values, argument mutations, global state, exception types; each version in its own process). ${legend}.` }),
    el('p', { text: `${c.baseline.function}: ${fitSummary(c.baseline)}` }),
    el('p', { text: `${c.candidate.function}: ${fitSummary(c.candidate)}` }),
    warnings([...c.baseline.fit.notes.map((note) => ({ fn: c.baseline.function, note })), ...c.candidate.fit.notes.map((note) => ({ fn: c.candidate.function, note }))]),
    el('div', { class: 'chart' }, [canvas]),
    el('table', {}, [header(['n', c.baseline.function, c.candidate.function, 'speedup', '95% CI']), ...rows]),
    isolation(c.candidate),
    toolbar(),
  );
  drawChart(canvas, [c.baseline, c.candidate], resp.curves, legend);
}

type Message = { type: 'benchmark'; response: BenchmarkResponse } | { type: 'compare'; response: CompareResponse } | { type: 'running'; what: string } | { type: 'failed'; message: string };

function banner(text: string, cls: string): void {
  document.querySelector('.banner')?.remove();
  app.prepend(el('p', { class: `banner ${cls}`, text }));
}

window.addEventListener('message', (e: MessageEvent<Message>) => {
  const m = e.data;
  try {
    if (m.type === 'benchmark') renderBenchmark(m.response);
    else if (m.type === 'compare') renderCompare(m.response);
    else if (m.type === 'running') return banner(m.what, 'running');
    else if (m.type === 'failed') return banner(m.message, 'failed');
    vscode.setState(m);
  } catch (err) {
    app.replaceChildren(el('p', { text: `Cannot show the result: ${err}` }));
  }
});
const saved = vscode.getState();
if (saved) window.dispatchEvent(new MessageEvent('message', { data: saved }));
// Messages sent before this script ran are lost: the extension waits for this one.
vscode.postMessage({ type: 'ready' });
