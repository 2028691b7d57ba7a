// hotpath/benchmark, hotpath/compare and hotpath/functions through the real bundled server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { TestServer } from '../../../test/lsp/lspClient';
import { BenchmarkRequest, CompareRequest, FunctionsRequest } from '../protocol';

/** Diagnostic messages may be Markdown in LSP 3.18. */
const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

const URI = 'file:///tmp/hotpath-benchmark-feature/pairs.py';
const SRC = `def pairs(xs: list[int]) -> int:
    c = 0
    for a in xs:
        for b in xs:
            if a < b:
                c += 1
    return c


def spin(n: int) -> int:
    while True:
        pass
`;

test('benchmarks need a trusted workspace', async () => {
  const server = new TestServer({ trusted: false });
  try {
    await server.initialize();
    await server.open(URI, 'python', SRC);
    await assert.rejects(server.connection.sendRequest(BenchmarkRequest, { uri: URI, position: { line: 2, character: 4 } }), /trusted workspace/);
    // Listing functions runs nothing and is allowed.
    const fns = await server.connection.sendRequest(FunctionsRequest, { uri: URI });
    assert.deepEqual(fns, [{ name: 'pairs', line: 0 }, { name: 'spin', line: 9 }]);
  } finally {
    await server.shutdown();
  }
});

test('Measure it on HP301 (benchmark at the finding): progress, result, chart curve, and the measured exponent on the function until it changes', async () => {
  const server = new TestServer({ trusted: true, settings: { execution: { budgetMs: 1200 } } });
  const progress: unknown[] = [];
  server.connection.onNotification('$/progress', (p: object) => {
    progress.push(p);
  });
  try {
    await server.initialize();
    const opened = await server.open(URI, 'python', SRC);
    // The static finding the client's "Measure it" action starts from: HP301 on \`pairs\`.
    const finding = opened.diagnostics.find((d) => d.code === 'HP301');
    assert.ok(finding, 'HP301 reports pairs as at least quadratic');
    const response = (await server.connection.sendRequest(BenchmarkRequest, { uri: URI, position: finding.range.start })) as {
      result: { function: string; complexity: string; points: { n: number }[] };
      markdown: string;
      curves: { points: { n: number; y: number }[] }[];
    };
    assert.equal(response.result.function, 'pairs');
    assert.equal(response.result.complexity, 'O(n^2)');
    assert.ok((response.result as { stability?: unknown }).stability, 'checked by a second sweep by default');
    assert.match(response.markdown, /\| n \| median \|/);
    assert.ok(response.curves[0].points.length > 10);
    assert.ok(progress.some((p) => JSON.stringify(p).includes('"kind":"begin"')), 'work-done progress began');
    assert.ok(progress.some((p) => /n=\d+/.test(JSON.stringify(p))), 'progress reports the size reached');
    const measured = await server.until(() => server.diagnostics.get(URI)?.diagnostics.find((d) => d.code === 'HP301' && text(d.message).startsWith('Measured:')), 'measured HP301 diagnostic');
    assert.match(text(measured.message), /∝ n\^\d\.\d\d.*fitted O\(n²\).*\(n = len\(xs\)\)$/);
    assert.equal(measured.range.start.line, 0);
    // Editing the function drops the measurement: it no longer describes the code.
    const after = await server.change(URI, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } }, text: '1' }]);
    assert.equal(after.diagnostics.some((d) => text(d.message).startsWith('Measured:')), false);
    // hotpath.execution.stabilityCheck: false turns the second sweep off.
    await server.setSettings({ execution: { budgetMs: 1200, stabilityCheck: false } });
    const off = (await server.connection.sendRequest(BenchmarkRequest, { uri: URI, functionName: 'pairs' })) as { result: { complexity: string; stability?: unknown } };
    assert.equal(off.result.complexity, 'O(n^2)');
    assert.equal(off.result.stability, undefined);
  } finally {
    await server.shutdown();
  }
});

test('a pull-only client is asked to pull again after a measurement, and its pull has the measured diagnostic (review 10 L5)', async () => {
  const server = new TestServer({
    trusted: true,
    settings: { execution: { budgetMs: 1200, stabilityCheck: false } },
    capabilities: { workspace: { configuration: true, diagnostics: { refreshSupport: true } }, textDocument: { diagnostic: {} } },
  });
  let refreshes = 0;
  server.connection.onRequest('workspace/diagnostic/refresh', () => void refreshes++);
  try {
    await server.initialize();
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version: 1, text: SRC } });
    const pull = async () => ((await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } })) as { items: { code?: unknown; message: string | { value: string } }[] }).items;
    assert.ok((await pull()).some((d) => d.code === 'HP301'));
    const before = refreshes;
    await server.connection.sendRequest(BenchmarkRequest, { uri: URI, functionName: 'pairs' });
    await server.until(() => refreshes > before, 'workspace/diagnostic/refresh after the measurement');
    assert.ok((await pull()).some((d) => d.code === 'HP301' && text(d.message).startsWith('Measured:')), 'the pull has the measurement');
    assert.equal(server.diagnostics.size, 0, 'nothing pushed');
  } finally {
    await server.shutdown();
  }
});

test('compare with a source string, and a bad position gives a clear error', async () => {
  const server = new TestServer({ trusted: true, settings: { execution: { budgetMs: 600 } } });
  try {
    await server.initialize();
    await server.open(URI, 'python', SRC);
    const response = (await server.connection.sendRequest(CompareRequest, {
      baseline: { uri: URI, functionName: 'pairs' },
      candidate: { language: 'python', functionName: 'pairs', source: 'def pairs(xs: list[int]) -> int:\n    return sum(1 for a in xs for b in xs if a < b)\n' },
    })) as { result: { verdict: string; equivalence: { equivalent: boolean } }; markdown: string };
    assert.equal(response.result.equivalence.equivalent, true);
    assert.notEqual(response.result.verdict, 'rejected');
    assert.match(response.markdown, /speedup/);
    await assert.rejects(server.connection.sendRequest(BenchmarkRequest, { uri: URI, position: { line: 8, character: 0 } }), /not inside a top-level function/);
    assert.ok(server.alive);
  } finally {
    await server.shutdown();
  }
});

test('a cancelled request stops the run', async () => {
  const server = new TestServer({ trusted: true, settings: { execution: { perCallMs: 60000 } } });
  try {
    await server.initialize();
    await server.open(URI, 'python', SRC);
    const source = new CancellationTokenSource();
    const pending = server.connection.sendRequest(BenchmarkRequest, { uri: URI, functionName: 'spin' }, source.token);
    setTimeout(() => source.cancel(), 500);
    await assert.rejects(pending, /cancel/i);
    assert.ok(server.alive);
  } finally {
    await server.shutdown();
  }
});

test('a function Hotpath cannot build inputs for: the benchmark error names the parameter and the code action; "Add a benchmark input generator" inserts a stub that makes it benchmark once filled in', async () => {
  const server = new TestServer({ trusted: true, settings: { execution: { budgetMs: 1200 } } });
  const uri = 'file:///tmp/hotpath-benchmark-feature/widget.py';
  const src = 'def spin(widget, xs):\n    widget.frobnicate()\n    return sorted(xs)\n\n\ndef ok(xs):\n    return len(xs)\n';
  try {
    await server.initialize();
    await server.open(uri, 'python', src);
    await assert.rejects(server.connection.sendRequest(BenchmarkRequest, { uri, position: { line: 1, character: 4 } }), /'widget'.*\.frobnicate\(\).*Add a benchmark input generator/);
    const actions = (await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, context: { diagnostics: [] } })) as { title: string; edit?: { changes: Record<string, { range: { start: { line: number } }; newText: string }[]> } }[];
    const add = actions.find((a) => a.title === 'Add a benchmark input generator');
    assert.ok(add?.edit, JSON.stringify(actions.map((a) => a.title)));
    const [edit] = add.edit.changes[uri];
    assert.equal(edit.range.start.line, 0);
    assert.match(edit.newText, /^def bench_input_spin\(n, rng\):[\s\S]*widget = None  # Hotpath could not infer this[\s\S]*# hotpath: bench-input bench_input_spin\n$/);
    // Not offered where inputs can be built.
    const inOk = (await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 6, character: 4 } , end: { line: 6, character: 4 } }, context: { diagnostics: [] } })) as { title: string }[];
    assert.ok(!inOk.some((a) => a.title === 'Add a benchmark input generator'));
    // Filled in, the function benchmarks through its generator.
    const filled = edit.newText.replace(/widget = None.*/, 'widget = type("W", (), {"frobnicate": lambda self: None})()') + src;
    await server.change(uri, [{ text: filled }]);
    const line = filled.split('\n').findIndex((l) => l.startsWith('def spin'));
    const r = await server.connection.sendRequest(BenchmarkRequest, { uri, position: { line: line + 1, character: 4 }, options: { sizes: [100, 1000], minSamples: 2, maxSamples: 2 } });
    assert.equal(r.result.inputs.generator, 'bench_input_spin');
  } finally {
    await server.shutdown();
  }
});
