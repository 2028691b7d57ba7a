// The analysis pool: worker threads give exactly the results of an analysis in this thread (on real
// files of the Python standard library and of npm packages), each caller gets its own file's result
// whatever order the workers finish in, and a worker that cannot start fails its jobs with the reason
// instead of hanging.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { languageById, languageForPath } from '../languages';
import { loadParserFactory } from '../parsing';
import { analyseJob, type AnalysisJob } from './job';
import { Worker } from 'node:worker_threads';
import { AnalysisPool, CHECK_SEMI_SPACE_MB, setWorkerSemiSpace } from './pool';

function realJobs(): AnalysisJob[] {
  const stdlib = ['/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.11'].find((d) => existsSync(join(d, 'argparse.py')));
  const modules = join(__dirname, '..', '..', '..', 'node_modules');
  const paths = [
    ...(stdlib ? ['argparse.py', 'difflib.py', 'heapq.py', 'textwrap.py', 'json/decoder.py'].map((f) => join(stdlib, f)) : []),
    join(modules, 'semver', 'classes', 'range.js'),
    join(modules, 'acorn', 'dist', 'acorn.js'),
    join(modules, 'web-tree-sitter', 'web-tree-sitter.d.ts'),
    // tree-sitter-typescript cannot parse all of it: invalid-syntax regions.
    join(modules, 'chart.js', 'dist', 'core', 'core.scale.d.ts'),
  ];
  return paths.filter(existsSync).map((p) => ({ language: languageForPath(p)!.id, text: readFileSync(p, 'utf8') }));
}

describe('analysis pool', () => {
  it('gives each job the result an analysis in this thread gives, in any order of completion', async () => {
    const jobs = realJobs();
    assert.ok(jobs.length >= 6, `${jobs.length} real files`);
    // Some jobs with a selection of rules: only those rules' findings come back.
    jobs.push({ ...jobs[0], rules: ['HP301'] });
    const factory = await loadParserFactory('wasm');
    const expected = jobs.map((job) => analyseJob(languageById(job.language), factory.create(languageById(job.language).grammar), job));
    assert.ok(expected.some((r) => r.findings.length > 0) && expected.some((r) => r.syntax.length > 0), 'the files have findings and syntax errors');
    assert.ok(expected[expected.length - 1].findings.every((f) => f.code === 'HP301'));
    const pool = new AnalysisPool(3, { parser: 'wasm' });
    try {
      // Small jobs after big ones: they finish first.
      const answers = await Promise.all([...jobs].reverse().map((job) => pool.run(job))).then((a) => a.reverse());
      assert.deepEqual(answers.map((a) => a.result), expected);
      assert.ok(answers.every((a) => a.backend === 'wasm'));
    } finally {
      await pool.close();
    }
  });

  it('fails the jobs of a worker that cannot start, with the reason, and does not hang', async () => {
    const pool = new AnalysisPool(2, { parser: 'wasm' }, { path: join(__dirname, 'no-such-worker.js'), typescript: false });
    try {
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => pool.run({ language: 'python', text: `x = ${i}\n` })));
      assert.ok(outcomes.every((o) => o.status === 'rejected'));
      assert.match(String((outcomes[0] as PromiseRejectedResult).reason.message), /the analysis worker stopped \(.*no-such-worker/);
    } finally {
      await pool.close();
    }
  });

  it('fails a job whose analysis throws, and goes on with the next', async () => {
    const pool = new AnalysisPool(1, { parser: 'wasm' });
    try {
      const bad = pool.run({ language: 'cobol' as 'python', text: 'x = 1\n' });
      const good = pool.run({ language: 'python', text: 'def f(xs):\n    s = ""\n    for x in xs:\n        s += x\n    return s\n' });
      await assert.rejects(bad);
      assert.ok((await good).result.findings.length > 0);
    } finally {
      await pool.close();
    }
  });

  // Last in this file: the flags it sets are the process's.
  it("starts the check's workers with its young generation from their start", async () => {
    const workerNewSpace = () => new Promise<number>((resolve, reject) => {
      const w = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.postMessage(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);", { eval: true });
      w.once('message', (n: number) => void w.terminate().then(() => resolve(n)));
      w.once('error', reject);
    });
    const before = await workerNewSpace();
    setWorkerSemiSpace(CHECK_SEMI_SPACE_MB);
    const after = await workerNewSpace();
    // By default V8 starts a worker's new space small (2 MB on Node 20) and grows it only as objects survive.
    assert.ok(before < CHECK_SEMI_SPACE_MB * 2 ** 20, `a worker started with ${before} bytes of new space by default`);
    assert.ok(after >= CHECK_SEMI_SPACE_MB * 2 ** 20, `a worker started with ${after} bytes of new space after setWorkerSemiSpace`);
  });
});
