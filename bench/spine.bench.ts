// Spine benchmarks, measured side by side in one run:
// (a) keystroke-to-diagnostics latency for single-character edits in a 10,000-line Python file:
//     incremental (edit + re-parse against the old tree + re-analyse touched units) versus a full
//     re-parse and re-analysis, in process, and end to end over LSP (didChange → publishDiagnostics);
// (b) `hotpath check` throughput over the Python standard library next to Ruff's PERF rules
//     (@astral-sh/ruff-wasm-nodejs) on the same files.
import { readFileSync, statSync } from 'node:fs';
import { DocumentAnalysis } from '../server/src/analysis/document';
import { checkFiles } from '../server/src/cli/check';
import { OpenDocument } from '../server/src/documents';
import { languageById } from '../server/src/languages';
import { loadParserFactory } from '../server/src/parsing';
import { TestServer } from '../test/lsp/lspClient';
import { editPoints, position, pythonFiles, STDLIB, tenThousandLines } from './lib';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function latency() {
  const text = tenThousandLines();
  const spec = languageById('python');
  const factory = await loadParserFactory('wasm');
  const parser = factory.create('python');
  const doc = OpenDocument.create('file:///bench/big.py', 'python', 1, text, { parsers: factory, maxChars: () => Infinity, log: () => undefined })!;
  let version = 1;
  const edits = editPoints(text, 300);
  const incremental: number[] = [];
  const full: number[] = [];
  let current = text;
  for (const [n, at] of edits.entries()) {
    // Type a character, then delete it: two keystrokes per point.
    for (const insert of [true, false]) {
      const change = insert ? { range: { start: position(current, at), end: position(current, at) }, text: 'z' } : { range: { start: position(current, at), end: position(current, at + 1) }, text: '' };
      const t0 = performance.now();
      doc.applyChanges([change], ++version);
      const found = doc.analysis!.findings().length;
      incremental.push(performance.now() - t0);
      current = doc.text;
      if (n % 3 === 0) {
        const t1 = performance.now();
        const fresh = new DocumentAnalysis(spec, parser, current);
        const freshFound = fresh.findings().length;
        full.push(performance.now() - t1);
        fresh.dispose();
        if (freshFound !== found) throw new Error('incremental and full analysis disagree');
      }
    }
  }
  doc.dispose();

  // End to end over LSP: didChange → publishDiagnostics, through the real bundled server.
  const server = new TestServer();
  await server.initialize();
  const uri = 'file:///bench/big.py';
  await server.open(uri, 'python', text);
  const lsp: number[] = [];
  current = text;
  for (const at of edits.slice(0, 150)) {
    for (const insert of [true, false]) {
      const change = insert ? { range: { start: position(current, at), end: position(current, at) }, text: 'z' } : { range: { start: position(current, at), end: position(current, at + 1) }, text: '' };
      const t0 = performance.now();
      await server.change(uri, [change]);
      lsp.push(performance.now() - t0);
      current = insert ? current.slice(0, at) + 'z' + current.slice(at) : current.slice(0, at) + current.slice(at + 1);
    }
  }
  await server.shutdown();

  const inc = summary(incremental);
  const fu = summary(full);
  const ls = summary(lsp);
  console.log(`(a) keystroke → diagnostics, ${text.split('\n').length - 1}-line Python file (${Math.round(text.length / 1024)} KB), single-character edits`);
  console.log('    mode                               p50 ms    p99 ms   samples');
  console.log(`    incremental (in process)        ${inc.p50.toFixed(2).padStart(8)}  ${inc.p99.toFixed(2).padStart(8)}   ${incremental.length}`);
  console.log(`    full re-parse + re-analysis      ${fu.p50.toFixed(2).padStart(8)}  ${fu.p99.toFixed(2).padStart(8)}   ${full.length}`);
  console.log(`    incremental over LSP (end to end) ${ls.p50.toFixed(2).padStart(7)}  ${ls.p99.toFixed(2).padStart(8)}   ${lsp.length}`);
  console.log(`    full / incremental: ${(fu.p50 / inc.p50).toFixed(1)}× at p50, ${(fu.p99 / inc.p99).toFixed(1)}× at p99`);
}

async function throughput() {
  const files = pythonFiles(STDLIB).sort();
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const t0 = performance.now();
  const results = await checkFiles(files, { parser: 'auto' });
  const hotpathMs = performance.now() - t0;
  const hotpathFindings = results.reduce((n, r) => n + r.findings.length, 0);

  const ruff = await import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ 'target-version': 'py39', lint: { select: ['PERF'] } }, ruff.PositionEncoding.Utf16);
  const t1 = performance.now();
  let ruffFindings = 0;
  for (const f of files) {
    try {
      ruffFindings += (workspace.check(readFileSync(f, 'utf8')) as unknown[]).length;
    } catch {
      // Ruff rejects a few files (syntax it does not accept); they count as read.
    }
  }
  const ruffMs = performance.now() - t1;
  const mb = bytes / 1024 / 1024;
  console.log(`\n(b) check throughput over the Python standard library (${STDLIB}): ${files.length} files, ${mb.toFixed(1)} MB`);
  console.log('    tool                      files/s      MB/s   findings   seconds');
  console.log(`    hotpath check (${results.length ? 'auto parser' : '-'})  ${(files.length / (hotpathMs / 1000)).toFixed(0).padStart(9)}  ${(mb / (hotpathMs / 1000)).toFixed(2).padStart(8)}  ${String(hotpathFindings).padStart(9)}  ${(hotpathMs / 1000).toFixed(2).padStart(8)}`);
  console.log(`    ruff PERF (wasm)          ${(files.length / (ruffMs / 1000)).toFixed(0).padStart(9)}  ${(mb / (ruffMs / 1000)).toFixed(2).padStart(8)}  ${String(ruffFindings).padStart(9)}  ${(ruffMs / 1000).toFixed(2).padStart(8)}`);
  console.log(`    hotpath / ruff time ratio: ${(hotpathMs / ruffMs).toFixed(2)} (different rule sets: see bench/ruff-parity.md for the findings compared)`);
}

async function main() {
  await latency();
  await throughput();
}

void main();
