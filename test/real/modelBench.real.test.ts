// hotpath model-bench with --llama-server: the engine, node-llama-cpp used directly and the real
// llama-server on the same file in one run; cold rows are cold on the caching server too, and the
// server's own timings are reported beside the client-side figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../server/src/cli/model-bench';
import { ensureTestModel } from '../../server/src/model/testModel';
import { requireLlamaServer } from './fixtures';

test('model-bench --llama-server: cold rows cold everywhere, the server’s timings beside the client’s', async () => {
  requireLlamaServer();
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  let code: number;
  try {
    code = await run(['--model', await ensureTestModel(), '--contexts', '64,256', '--generate', '4', '--repeat', '2', '--threads', '1', '--llama-server', '--format', 'json']);
  } finally {
    console.log = log;
  }
  assert.equal(code, 0);
  const report = JSON.parse(out.join('\n')) as { rows: { runner: string; context: number; mode: string; reusedTokens: number; promptTokens: number; server?: { cacheTokens: number; promptTokens: number; generationTokensPerSecond: number } }[]; overhead: { versus: string }[] };
  assert.deepEqual([...new Set(report.rows.map((r) => r.runner))].sort(), ['direct', 'engine', 'server']);
  for (const r of report.rows) {
    if (r.mode === 'cold') assert.equal(r.reusedTokens, 0, `${r.runner} ${r.context}: a cold row reuses nothing`);
    else assert.equal(r.reusedTokens, r.context - 16, `${r.runner} ${r.context}: the edit leaves all but the last 16 tokens`);
  }
  const server = report.rows.filter((r) => r.runner === 'server');
  assert.ok(server.every((r) => r.server && r.server.generationTokensPerSecond > 0));
  assert.ok(server.every((r) => (r as { cpuMs?: number }).cpuMs !== undefined), 'the server process CPU time is measured');
  assert.ok(server.filter((r) => r.mode === 'cold').every((r) => r.server!.cacheTokens === 0 && r.server!.promptTokens === r.context));
  assert.ok(report.overhead.some((o) => o.versus === 'server') && report.overhead.some((o) => o.versus === 'direct'));
});
