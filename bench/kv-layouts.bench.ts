// `npm run bench -- kv-layouts`: the tokens each batch-invariant layout (server/src/model/embedded/kv/
// layout.ts) re-decodes per request, replayed on recorded kv-bench sessions without the model. A
// request's prompt length and prefix reuse's tokens give the common prefix (prefix reuse cuts there),
// the previous request's prompt its old length; layoutCut says where each layout cuts. This holds for
// requests recomputed exactly (the exact path: the editor's strategy on these sessions), and the replay
// of round 4's grid layout must equal the prefix_aligned tokens that run recorded (checked below).
// The anchored layout carries its anchor from request to request (anchorAfter), from the first prompt on.
// 'anchored 1t' is the anchored layout where a lone token is vec (Layout.oneThread, loneToken.ts: one
// thread, Q4_1 weights as SmolLM2's, a CPU without a batch kernel for them): the sessions decide it.
// Timings are not replayed: bench/kv.md reports them from the runs (the vec layout's per-row attention
// is slower per token than the tiled kernel).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorAfter, LAYOUT_KINDS, layoutCut, type Layout, type LayoutKind } from '../server/src/model/embedded/kv/layout';

const SESSIONS = ['smollm2-8k-r4.json', 'smollm2-2k-r3.json'];

interface TraceLine { i: number; episode: string; tokens: number; fg: Record<string, number> }

for (const file of SESSIONS) {
  const recorded = JSON.parse(readFileSync(join(__dirname, 'kv', file), 'utf8')) as { command: string; result: { trace: TraceLine[] } };
  const trace = recorded.result.trace;
  const sums: Record<string, number> = { prefix: 0, grid: 0, tail: 0, vec: 0, anchored: 0, 'anchored 1t': 0 };
  console.log(`\n## ${file}: ${recorded.command}\nrequest episode         prompt  prefix    grid    tail     vec anchored anchored 1t`);
  let old = trace[0].tokens;
  const layouts = new Map<string, Layout>(LAYOUT_KINDS.map((kind: LayoutKind) => [kind, anchorAfter({ kind, b: 64, max: 512, oneThread: false }, 0, old)]));
  layouts.set('anchored 1t', anchorAfter({ kind: 'anchored', b: 64, max: 512, oneThread: true }, 0, old));
  for (const line of trace.slice(1)) {
    const n = line.tokens;
    const prefix = line.fg.prefix;
    const common = n - prefix;
    const row: Record<string, number> = { prefix };
    for (const kind of layouts.keys()) {
      if (prefix === 0 && n === old) {
        row[kind] = 0;
        continue;
      }
      const before = layouts.get(kind)!;
      const after = anchorAfter(before, Math.min(common, old - 1, n - 1), n);
      row[kind] = n - layoutCut(after, common, old, n, before);
      layouts.set(kind, after);
    }
    if (line.fg.prefix_aligned !== undefined && row.grid !== line.fg.prefix_aligned) throw new Error(`${file} request ${line.i}: the grid replay gives ${row.grid}, the run recorded ${line.fg.prefix_aligned}`);
    for (const k of Object.keys(sums)) sums[k] += row[k];
    console.log(`${String(line.i).padStart(7)} ${line.episode.padEnd(14)} ${String(n).padStart(7)} ${[row.prefix, row.grid, row.tail, row.vec, row.anchored].map((x) => String(x).padStart(7)).join(' ')} ${String(row['anchored 1t']).padStart(11)}`);
    old = n;
  }
  const m = trace.length - 1;
  console.log(`per request (${m} requests after the first): ${Object.entries(sums).map(([k, v]) => `${k} ${(v / m).toFixed(1)} (${(v / sums.prefix).toFixed(3)}x prefix reuse)`).join(', ')}`);
}
