// The benchmark webview (client/webview/benchmark.ts, bundled to media/benchmark/main.js) in a real
// browser: real benchmark and compare results are rendered with chart.js (log–log axes, measured
// points and fitted curves), tables in one notation (three significant digits, O(n²)), what the
// columns mean, the rejection view, and Re-run / Larger Sizes / Copy as Markdown post to the extension. Runs with the e2e suites (HOTPATH_E2E=1;
// needs chromium, as test/e2e/setup-code-server.sh installs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { languageById } from '../../server/src/languages';
import { benchmarkFunction, compareFunctions, compareToMarkdown, toMarkdown } from '../../server/src/execution';
import { curveOf, sizeLegendOf } from '../../server/src/features/benchmark';
import { prettyClass } from '../../server/src/notation';
import { launchBrowser } from './codeserver/driver';

const ROOT = join(__dirname, '..', '..');
const media = (f: string) => readFileSync(join(ROOT, 'media', 'benchmark', f), 'utf8');

async function webview(page: Page, errors: string[]): Promise<void> {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.setContent(`<!DOCTYPE html><html><head><style>${media('style.css')}</style></head><body><div id="app"></div></body></html>`);
  await page.addScriptTag({ content: 'window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), setState: () => {}, getState: () => undefined });' });
  await page.addScriptTag({ content: media('chart.umd.js') });
  await page.addScriptTag({ content: media('main.js') });
}

const SRC = 'def uniq(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n\ndef uniq_fast(xs: list[int]) -> list[int]:\n    return list(dict.fromkeys(xs))\n\ndef uniq_sorted(xs: list[int]) -> list[int]:\n    return sorted(set(xs))\n';
const target = (name: string) => ({ language: 'python' as const, source: SRC, functionName: name });

test('the webview renders a benchmark: chart with log axes and fitted curve, table, copy as Markdown', async () => {
  const result = await benchmarkFunction(target('uniq'), { languages: languageById, sizes: [4, 16, 64, 256, 1024] });
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    await webview(page, errors);
    await page.evaluate((response) => window.postMessage({ type: 'benchmark', response }, '*'), { result, sizeLegend: sizeLegendOf(result), markdown: toMarkdown(result), curves: curveOf(result) });
    await page.waitForSelector('h2');
    assert.equal(await page.textContent('h2'), `uniq: ${prettyClass(result.complexity)}`);
    assert.doesNotMatch((await page.textContent('body'))!, /O\(n\^/, 'one notation: O(n²)');
    assert.equal(await page.locator('table tr').count(), result.points.length + 1);
    // Every time in the table: three significant digits and a unit; a CI on one line with one unit.
    const cells = await page.$$eval('table tr td', (tds) => tds.map((td) => td.textContent ?? ''));
    const times = cells.filter((c) => /(ns|µs|ms| s)$/.test(c));
    assert.ok(times.length >= result.points.length * 3, cells.join(' | '));
    for (const t of times) assert.match(t, /^(\d\.\d\d|\d\d\.\d|\d{3}|\d+(\.\d+)?–\d+(\.\d+)?) (ns|µs|ms|s)$/, t);
    assert.match(await page.textContent('p.muted:nth-of-type(2)') ?? '', /^n = len\(xs\)$/);
    assert.ok((await page.getAttribute('th:has-text("MAD")', 'title'))?.includes('median absolute deviation'));
    assert.ok((await page.textContent('details.guide'))?.includes('relative margin of error'));
    const chart = await page.evaluate(() => {
      const c = (window as unknown as { Chart: { getChart(e: Element): { config: { options: { scales: Record<string, { type: string }> } }; data: { datasets: { label: string; data: unknown[] }[] } } } }).Chart.getChart(document.querySelector('canvas')!);
      return { x: c.config.options.scales.x.type, y: c.config.options.scales.y.type, datasets: c.data.datasets.map((d) => [d.label, d.data.length]) };
    });
    assert.equal(chart.x, 'logarithmic');
    assert.equal(chart.y, 'logarithmic');
    assert.deepEqual(chart.datasets[0], ['uniq (measured)', 5]);
    assert.match(String(chart.datasets[1][0]), /fit O\(/);
    await page.click('text=Copy as Markdown');
    await page.click('text=Re-run');
    await page.click('text=Larger Sizes');
    // First the handshake (the extension holds the result until the script runs), then the actions.
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted), [{ type: 'ready' }, { type: 'copy' }, { type: 'rerun' }, { type: 'larger' }]);
    // The fit's warnings name the function.
    await page.evaluate((response) => window.postMessage({ type: 'benchmark', response }, '*'), { result: { ...result, fit: { ...result.fit, notes: ['points deviate 38% from the fit'] } }, sizeLegend: 'n = len(xs)', markdown: '', curves: [] });
    await page.waitForSelector('ul.notes li');
    assert.equal(await page.textContent('ul.notes li'), '⚠ uniq: points deviate 38% from the fit');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the webview renders a comparison (speedups, two curves) and a rejection (the differing input)', async () => {
  const ok = await compareFunctions(target('uniq'), target('uniq_fast'), { languages: languageById, sizes: [8, 64, 512] });
  const bad = await compareFunctions(target('uniq'), target('uniq_sorted'), { languages: languageById, sizes: [8, 64] });
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    await webview(page, errors);
    await page.evaluate((response) => window.postMessage({ type: 'compare', response }, '*'), { result: ok, sizeLegend: sizeLegendOf(ok.baseline), markdown: compareToMarkdown(ok), curves: [...curveOf(ok.baseline), ...curveOf(ok.candidate)] });
    await page.waitForSelector('.verdict');
    assert.match((await page.textContent('.verdict'))!, /^(faster|same|slower)/);
    assert.equal(await page.locator('table tr').count(), ok.speedups.length + 1);
    const labels = await page.evaluate(() => (window as unknown as { Chart: { getChart(e: Element): { data: { datasets: { label: string }[] } } } }).Chart.getChart(document.querySelector('canvas')!).data.datasets.map((d) => d.label));
    assert.ok(labels.includes('uniq (measured)') && labels.includes('uniq_fast (measured)'), labels.join(', '));
    await page.evaluate((response) => window.postMessage({ type: 'compare', response }, '*'), { result: bad, sizeLegend: sizeLegendOf(bad.baseline), markdown: compareToMarkdown(bad), curves: [] });
    await page.waitForSelector('.verdict.rejected');
    assert.match((await page.textContent('pre.diff'))!, /input: .*\nexpected: .*\nactual: /);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
