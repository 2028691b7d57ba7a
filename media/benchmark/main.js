// Hotpath benchmark webview: renders a benchmark or compare response (from the extension) as a
// log–log chart of time (or instructions) against n with each version's fitted curve, a table of
// the points, and a "Copy as Markdown" button. Chart.js is loaded before this script.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  let chart;

  const COLORS = ['#4e9bd6', '#e8a33d', '#3fb950', '#d2697c'];

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) e.append(c);
    return e;
  }

  function fmt(v, unit) {
    if (!isFinite(v)) return v === Infinity ? '∞' : '—';
    if (unit === 'instructions') {
      if (v >= 1e9) return (v / 1e9).toFixed(2) + ' G';
      if (v >= 1e6) return (v / 1e6).toFixed(2) + ' M';
      if (v >= 1e3) return (v / 1e3).toFixed(1) + ' k';
      return v.toFixed(0);
    }
    if (v >= 1) return v.toFixed(3) + ' s';
    if (v >= 1e-3) return (v * 1e3).toFixed(3) + ' ms';
    if (v >= 1e-6) return (v * 1e6).toFixed(2) + ' µs';
    return (v * 1e9).toFixed(1) + ' ns';
  }

  function fitSummary(r) {
    const f = r.fit;
    if (!f.models || !f.models.length) return 'complexity unknown';
    const exp = isFinite(f.exponent) ? ', measured exponent ' + f.exponent.toFixed(2) + (isFinite(f.exponentCi[0]) ? ' [' + f.exponentCi[0].toFixed(2) + ', ' + f.exponentCi[1].toFixed(2) + ']' : '') : '';
    return r.complexity + ' (confidence ' + Math.round(f.confidence * 100) + '%' + (f.base ? ', base ' + f.base.toFixed(2) : '') + ', R² ' + f.r2.toFixed(3) + exp + ')';
  }

  function pointsTable(r) {
    const head = ['n', 'median', '95% CI', 'MAD', 'rme', 'samples × calls', 'outliers'];
    const rows = r.points.map((p) => p.censored
      ? el('tr', {}, [el('td', { text: String(p.n) }), el('td', { class: 'censored', text: '> ' + fmt(p.median, r.unit) + ' (per-call limit)' }), el('td'), el('td'), el('td'), el('td'), el('td')])
      : el('tr', {}, [String(p.n), fmt(p.median, r.unit), '[' + fmt(p.ciLow, r.unit) + ', ' + fmt(p.ciHigh, r.unit) + ']', fmt(p.mad, r.unit), '±' + (p.rme * 100).toFixed(1) + '%', p.samples + ' × ' + p.batch, String(p.outliers)].map((t) => el('td', { text: t }))));
    return el('table', {}, [el('tr', {}, head.map((h) => el('th', { text: h }))), ...rows]);
  }

  function notes(list) {
    return list && list.length ? el('ul', { class: 'notes' }, list.map((n) => el('li', { text: n }))) : el('span');
  }

  function drawChart(canvas, results, curves) {
    if (chart) chart.destroy();
    const unit = results[0].unit;
    const datasets = [];
    results.forEach((r, i) => {
      const color = COLORS[i % COLORS.length];
      datasets.push({ type: 'scatter', label: r.function + ' (measured)', data: r.points.filter((p) => !p.censored).map((p) => ({ x: Math.max(p.n, 1), y: p.median, ci: [p.ciLow, p.ciHigh] })), backgroundColor: color, borderColor: color, pointRadius: 4 });
      const censored = r.points.filter((p) => p.censored);
      if (censored.length) datasets.push({ type: 'scatter', label: r.function + ' (past the limit)', data: censored.map((p) => ({ x: Math.max(p.n, 1), y: p.median })), backgroundColor: 'transparent', borderColor: color, pointStyle: 'triangle', pointRadius: 7 });
      const c = curves.find((x) => x.label === r.function);
      if (c) datasets.push({ type: 'line', label: r.function + ' fit ' + c.complexity, data: c.points.map((p) => ({ x: p.n, y: p.y })), borderColor: color, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, fill: false });
    });
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground') || '#ccc';
    const grid = 'rgba(128,128,128,0.2)';
    chart = new Chart(canvas, {
      data: { datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'n (input size)', color: fg }, ticks: { color: fg }, grid: { color: grid } },
          y: { type: 'logarithmic', title: { display: true, text: unit === 'instructions' ? 'instructions per call' : 'time per call', color: fg }, ticks: { color: fg, callback: (v) => fmt(v, unit) }, grid: { color: grid } },
        },
        plugins: {
          legend: { labels: { color: fg } },
          tooltip: { callbacks: { label: (ctx) => {
            const d = ctx.raw;
            return ctx.dataset.label + ': n=' + Math.round(d.x) + ', ' + fmt(d.y, unit) + (d.ci ? ' [' + fmt(d.ci[0], unit) + ', ' + fmt(d.ci[1], unit) + ']' : '');
          } } },
        },
      },
    });
  }

  function toolbar() {
    return el('div', {}, [el('button', { text: 'Copy as Markdown', onclick: () => vscode.postMessage({ type: 'copy' }) })]);
  }

  function renderBenchmark(resp) {
    const r = resp.result;
    const canvas = el('canvas');
    app.replaceChildren(
      el('h2', { text: r.function + ': ' + r.complexity }),
      el('p', { class: 'muted', text: (r.inputs.kind === 'generator' ? 'inputs from ' + r.inputs.generator + '(n, rng)' : 'inputs: ' + r.inputs.params.map((p) => p.name + ': ' + p.type).join(', ')) + ' · seed ' + r.seed + ' · ' + (r.metric === 'time' ? 'time per call' : 'instructions per call (callgrind)') + ' · stopped by ' + r.stoppedBy + ' after ' + (r.elapsedMs / 1000).toFixed(1) + ' s' }),
      el('p', { text: fitSummary(r) }),
      notes(r.fit.notes),
      el('div', { class: 'chart' }, [canvas]),
      pointsTable(r),
      toolbar(),
    );
    drawChart(canvas, [r], resp.curves);
  }

  function renderCompare(resp) {
    const c = resp.result;
    const title = c.baseline.function + ' vs ' + c.candidate.function;
    if (c.verdict === 'rejected') {
      const d = c.equivalence.difference;
      app.replaceChildren(
        el('h2', { text: title }),
        el('p', { class: 'verdict rejected', text: 'Rejected: ' + c.candidate.function + ' behaves differently (' + d.what + ') at n=' + d.n + ', seed ' + d.seed }),
        el('pre', { class: 'diff', text: 'input:    ' + d.input + '\nexpected: ' + d.expected + '\nactual:   ' + d.actual }),
        toolbar(),
      );
      return;
    }
    const unit = c.baseline.unit;
    const canvas = el('canvas');
    const s = c.summary;
    const rows = c.speedups.map((x) => el('tr', {}, [String(x.n), (x.baseline.censored ? '> ' : '') + fmt(x.baseline.median, unit), (x.candidate.censored ? '> ' : '') + fmt(x.candidate.median, unit), x.speedup.toFixed(2) + '×', '[' + x.ciLow.toFixed(2) + ', ' + (isFinite(x.ciHigh) ? x.ciHigh.toFixed(2) : '∞') + ']'].map((t) => el('td', { text: t }))));
    app.replaceChildren(
      el('h2', { text: title }),
      el('p', { class: 'verdict ' + c.verdict, text: c.verdict + (s ? ': ' + s.speedup.toFixed(2) + '× at n=' + s.n + ' (95% CI ' + s.ciLow.toFixed(2) + '–' + (isFinite(s.ciHigh) ? s.ciHigh.toFixed(2) : '∞') + ')' : '') }),
      el('p', { class: 'muted', text: 'Equivalent on ' + c.equivalence.inputs + ' inputs (return values, argument mutations, exception types).' }),
      el('p', { text: c.baseline.function + ': ' + fitSummary(c.baseline) }),
      el('p', { text: c.candidate.function + ': ' + fitSummary(c.candidate) }),
      notes([...c.baseline.fit.notes, ...c.candidate.fit.notes]),
      el('div', { class: 'chart' }, [canvas]),
      el('table', {}, [el('tr', {}, ['n', c.baseline.function, c.candidate.function, 'speedup', '95% CI'].map((h) => el('th', { text: h }))), ...rows]),
      toolbar(),
    );
    drawChart(canvas, [c.baseline, c.candidate], resp.curves);
  }

  window.addEventListener('message', (e) => {
    const m = e.data;
    try {
      if (m.type === 'benchmark') renderBenchmark(m.response);
      else if (m.type === 'compare') renderCompare(m.response);
      vscode.setState(m);
    } catch (err) {
      app.replaceChildren(el('p', { text: 'Cannot show the result: ' + err }));
    }
  });
  const saved = vscode.getState();
  if (saved) window.dispatchEvent(new MessageEvent('message', { data: saved }));
  // Messages sent before this script ran are lost: the extension waits for this one.
  vscode.postMessage({ type: 'ready' });
})();
