// `hotpath optimize` through the bundled CLI (dist/cli.js): injected candidates (exit 0, JSON with
// the verified rewrite and the rejection reasons), the test model (noise: exit 1, every candidate
// rejected), usage errors (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestModel } from '../model/testModel';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'hotpath-optimize-cli-'));
const FILE = join(dir, 'common.js');
const SRC = `/** @param {number[]} a @param {number[]} b @returns {number} */
function countCommon(a, b) {
  let n = 0;
  for (const x of a) if (b.includes(x)) n++;
  return n;
}
module.exports = { countCommon };
`;

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'optimize', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('hotpath optimize: a verified rewrite (exit 0, JSON), the rejected ones with reasons; the file is untouched', async () => {
  writeFileSync(FILE, SRC);
  const candidates = join(dir, 'c.json');
  const fast = 'function countCommon(a, b) {\n  const s = new Set(b);\n  let n = 0;\n  for (const x of a) if (s.has(x)) n++;\n  return n;\n}\n```';
  const wrong = 'function countCommon(a, b) {\n  const s = new Set(b);\n  return new Set(a.filter((x) => s.has(x))).size;\n}\n```';
  writeFileSync(candidates, JSON.stringify({ countCommon: [[wrong, fast]] }));
  const r = await cli([FILE, '--function', 'countCommon', '--rounds', '1', '--candidates', '2', '--budget', '2000', '--no-measure', '--no-rule-fixes', '--format', 'json'], { HOTPATH_OPTIMIZE_CANDIDATES: candidates });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const j = JSON.parse(r.stdout) as { best?: { candidate: { functionText: string }; verification: { summary: { speedup: number; ciLow: number } } }; outcomes: { verification: { accepted: boolean; kind?: string; speedups?: unknown[] } }[] };
  assert.deepEqual(j.outcomes.map((o) => o.verification.accepted ? 'accepted' : o.verification.kind), ['not-equivalent', 'accepted']);
  assert.match(j.best!.candidate.functionText, /new Set\(b\)/);
  assert.ok(j.best!.verification.summary.ciLow > 1.1);
  assert.equal(readFileSync(FILE, 'utf8'), SRC);
});

test('hotpath optimize with the test model: noise is rejected (exit 1) with reasons; usage errors exit 2', async () => {
  writeFileSync(FILE, SRC);
  await ensureTestModel();
  const r = await cli([FILE, '--function', 'countCommon', '--test-model', '--rounds', '1', '--candidates', '2', '--max-tokens', '32', '--context', '512', '--threads', '1', '--no-measure', '--no-rule-fixes']);
  assert.equal(r.status, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /round 1 model #1: rejected \((parse|signature|unchanged)\)/);
  assert.match(r.stdout, /no verified rewrite: nothing to offer/);
  assert.match(r.stdout, /time: generation [\d.]+ s, verification [\d.]+ s, total [\d.]+ s/);
  assert.equal((await cli([FILE])).status, 2);
  assert.equal((await cli([FILE, '--function', 'countCommon', '--rounds', '0'])).status, 2);
});

test('hotpath optimize refuses a missing model file up front (exit 2), before running any code', async () => {
  // The old code measured the function and verified the rule fixes (running the code) first, then
  // exited 1 with "generation failed: model file not found".
  writeFileSync(FILE, SRC);
  const r = await cli([FILE, '--function', 'countCommon', '--model', join(dir, 'missing.gguf')]);
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.match(r.stderr, /model file not found: .*missing\.gguf/);
  assert.equal(r.stdout, '', 'nothing measured or verified');
});
