// `npm run bench -- kv-far`: the far-edit agreement over each round's far-edit kv-bench runs together
// (GROUPS below: round 7's bench/kv/smollm2-2k-far7.json and smollm2-3k-far7.json, round 8's 8k run and
// its variant run on round 7's files, written by `HOTPATH_KV_BENCH_RUN=... npm run bench -- kv`), from
// their recorded traces, without the model: the figures (greedy over 16 tokens, top-1
// over 64 teacher-forced positions, mean KL, all against full recomputation in the editor's layout) and
// the decisive ones (server/src/completion/kvBench/decisive.ts) with one tau for both runs, per request
// and per strategy; then each far edit's greedy agreement beside the noise floor's (noiseFloor.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decisiveFigures, decisiveReport, isFarEdit, type DecisiveLine } from '../server/src/completion/kvBench/decisive';
import { FLOOR, floorReport } from '../server/src/completion/kvBench/noiseFloor';

/** Each group's runs are reported together (one table). */
const GROUPS: Record<string, string[]> = {
  'round 7: 23 renames in four 2k-3k held-out files': ['smollm2-2k-far7.json', 'smollm2-3k-far7.json'],
  'round 8: renames at 8k, google-adk 2.13.0 google/adk/cli/fast_api.py': ['smollm2-8k-far8.json'],
  "round 8: hotpath_adjacent beside hotpath on round 7's agents/logger.py trace (its 9 requests, the same prompts)": ['smollm2-2k-far8adj.json'],
  "round 9: the editor's strategy with insertContext 4 beside the one before (hotpath_end) and hotpath_adjacent, same trace": ['smollm2-2k-far9.json'],
  'round 9: the same at 8k, google-adk 2.13.0 google/adk/cli/fast_api.py': ['smollm2-8k-far9.json'],
  "round 10: insertMode 'gap' (with and without the tail) beside the editor's strategy, round 7's agents/logger.py trace": ['smollm2-2k-far10.json'],
  "round 12: 8k far edits, google-adk 2.13.0 google/adk/cli/fast_api.py: the editor's, hotpath_end, 'gap' with and without the tail": ['smollm2-8k-far12.json'],
  "round 13: 8k far edits, the same file and trace, the opening shared, as many far edits as fit: the editor's, hotpath_end, 'gap' with and without the tail": ['smollm2-8k-far13.json'],
  "round 14: 8k far edits, the same file and seed, round 13's 3 renames then far-insert/far-delete/renames, chunk left out and prefix_aligned on demand: the editor's, hotpath_end, 'gap' with and without the tail": ['smollm2-8k-far14.json'],
};
const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
const only = process.env.HOTPATH_KV_FAR_GROUP;
for (const [title, runs] of Object.entries(GROUPS)) {
  if (only && !title.includes(only)) continue;
  console.log(`\n## ${title}\n`);
  report(runs);
}

function report(RUNS: string[]): void {

  const lines: (DecisiveLine & { file: number; i: number })[] = [];
  for (const run of RUNS) {
    const path = join(__dirname, 'kv', run);
    const partial = path.replace(/\.json$/, '.partial.json');
    type Trace = { files: { label: string; tokens: number }[]; trace: (DecisiveLine & { file: number; i: number })[] };
    let result: Trace;
    if (existsSync(path)) {
      const recorded = JSON.parse(readFileSync(path, 'utf8')) as { command: string; machine: string; seconds: number; result: Trace };
      console.log(`${run}: ${recorded.command} (${Math.round(recorded.seconds / 60)} min, ${recorded.machine})`);
      result = recorded.result;
    } else if (existsSync(partial)) {
      result = JSON.parse(readFileSync(partial, 'utf8')) as Trace;
      console.log(`${run}: not finished; the requests measured before it stopped (${partial.split('/').pop()}, written request by request): ${result.trace.length}`);
    } else {
      console.log(`(${run} not recorded yet: HOTPATH_KV_BENCH_RUN=${run.replace('.json', '')} npm run bench -- kv)`);
      continue;
    }
    for (const file of result.files) console.log(`  ${file.label}: ${file.tokens} tokens`);
    lines.push(...result.trace.map((l) => ({ ...l, file: l.file + 10 * RUNS.indexOf(run) })));
  }
  const r = decisiveReport(lines);
  if (!r) {
    console.log('no request with decisive figures recorded');
  } else {
    const names = Object.keys(r.far.strategies).filter((n) => n !== 'full' && n !== 'prefix_aligned' && n !== 'full_aligned');
    console.log(`\nkernel noise (prefix reuse in the usual batches vs the aligned reference, largest |logit difference|): above 0 at ${r.noisy_requests} of ${lines.length} requests, at most ${r.noise.toFixed(3)}; each request's tau is twice its own (at most ${r.tau.toFixed(3)})`);
    console.log(`far edits: ${r.far.requests} (prefix reuse recomputed ${(100 * r.far.stale_share.min).toFixed(0)}-${(100 * r.far.stale_share.max).toFixed(0)}% of the prompt)\n`);
    console.log('per far edit: run.request, prompt, prefix tokens, noise | greedy (16) / decisive greedy / top-1 (64) / decisive top-1 / KL');
    for (const l of lines.filter(isFarEdit)) {
      const cell = (n: string) => {
        const d = r.far.strategies[n] && l.x?.[n] ? decisiveFromLine(l, n) : undefined;
        return `${n}: ${f(l.a[n]?.[0], 2)}/${f(d?.greedy, 2)}/${f(l.a[n]?.[1], 2)}/${f(d?.top1, 2)}/${f(l.a[n]?.[2], 4)}`;
      };
      console.log(`  ${l.file}.${l.i} ${l.tokens} ${l.fg.prefix} ${f(l.d?.noise, 2)} | ${names.map(cell).join('  ')}`);
    }
    console.log('\n| strategy | fg tokens | greedy (>= 0.95) | top-1 | KL | decisive greedy (>= 0.95 of decided) | decisive top-1 (positions) | bg tokens | (fg + bg) / prefix (far edits repaired right after) |');
    console.log('|---|---:|---|---:|---:|---|---|---:|---:|');
    for (const n of names) {
      const s = r.far.strategies[n];
      console.log(`| ${n} | ${f(s.evaluated_tokens, 1)} | ${f(s.greedy)} (${s.greedy_ge095} of ${s.requests}) | ${f(s.top1)} | ${f(s.kl, 4)} | ${f(s.decisive.greedy)} (${s.decisive.greedy_ge095} of ${s.decisive.decided}) | ${f(s.decisive.top1)} (${s.decisive.positions}) | ${f(s.background_tokens, 1)} | ${f(s.total_vs_prefix, 2)} (${s.repaired_requests}) |`);
    }
    floorTable(lines, names);
  }
}

function decisiveFromLine(l: DecisiveLine, name: string) {
  const [cp, n, ...misses] = l.x![name];
  return decisiveFigures([{ m: l.d!, o: { cp, n, misses }, tau: 2 * l.d!.noise }]);
}

/** Each far edit's greedy agreement (of 16) beside the noise floor's at the same edit, and whether the
 *  strategy is within the floor there (at least the floor's agreement). */
function floorTable(lines: (DecisiveLine & { file: number; i: number })[], names: string[]): void {
  const strategies = names.filter((n) => n !== FLOOR);
  const r = floorReport(lines, strategies);
  if (r.edits.length === 0) return;
  const of16 = (g: number) => Math.round(16 * g);
  console.log(`\nbeside the noise floor (${FLOOR}: prefix reuse in llama.cpp's usual batches), greedy tokens of 16 per far edit; * = within the floor (at least its agreement)\n`);
  console.log(`| far edit (prompt, noise) | floor | ${strategies.join(' | ')} |`);
  console.log(`|---|---:|${strategies.map(() => '---:|').join('')}`);
  for (const e of r.edits) {
    const cell = (n: string) => (e.strategies[n] ? `${of16(e.strategies[n].greedy)}${e.strategies[n].within ? ' *' : ''}` : 'n/a');
    console.log(`| ${e.file}.${e.i} (${e.tokens}, ${f(e.noise, 2)}) | ${of16(e.floor.greedy)} | ${strategies.map(cell).join(' | ')} |`);
  }
  console.log('\n| strategy | within the floor | >= 0.95 (floor) | mean shortfall below the floor (of 16) | largest |');
  console.log('|---|---|---|---:|---:|');
  for (const n of strategies) {
    const s = r.strategies[n];
    if (s) console.log(`| ${n} | ${s.within} of ${s.edits} | ${s.ge095} (${s.floor_ge095}) of ${s.edits} | ${f(16 * s.shortfall, 1)} | ${f(16 * s.worst, 0)} |`);
  }
}
