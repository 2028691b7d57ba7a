// The far edits of a kv-bench far-edit trace, one by one: what the editor's approximation gets wrong
// and which of its mechanisms it comes from (no model: prints a note and exits). Round 9's diagnosis.
//   npm run bench -- kv-far-diag                      the runs below, one after the other
//   node --import tsx bench/kv-far-diag.bench.ts FILE SEED MAX_REQUESTS [REQUESTS]
// The trace is kv-bench's (`hotpath kv-bench --sources FILE --sizes N --seed SEED --plan far-edit
// --episodes 8 --typed 1 --max-requests MAX_REQUESTS`: the same generator, prompt builder and
// tokenizer, so the same prompts request for request). Each far edit (a rename; prefix reuse would
// recompute >= 25% of the prompt) is replayed from the EXACT cells of the request before it (as in
// kv-bench after a finished repair), on SmolLM2-135M at 1 thread, everything in llama.cpp's usual
// batches of 512 (no anchored layout: these figures are not kv-bench's, which compares in the editor's
// layout; kernel noise between the two is 0 at almost every far edit measured so far, bench/kv.md round 7):
//   ref                 full recomputation of the new prompt
//   hotpath             the editor's far-edit path (session.ts): the renamed tokens' cells erased, the
//                       new ones decoded after the whole prompt (kv/llamaKv.ts insertGroups) and moved
//                       into place, later cells shifted, the last 256 cells recomputed
//   hotpath_adjacent    the same with each occurrence decoded right after the text before it (insertAdjacent)
//   hotpath_context4    the same with each occurrence decoded after a copy of the 4 tokens before it (insertContext 4)
//   xEnd, xCtx4         the EXACT new cells, then only the renamed occurrences' cells re-inserted as
//                       hotpath / hotpath_context4 insert them, and the last 256 recomputed: the error
//                       of the insertion alone, every other cell exact
//   xTail               the exact cells with the last 256 recomputed (the tail's kernel noise)
//   gap rows            (round 10) insertMode 'gap': the renamed occurrences' new tokens get no cells at all
//                       (kv/llamaKv.ts insertGaps), later cells shifted; nothing evaluated but the tail
//                       (and a gap the probe's cut before the last token uncovers, counted)
//   hybrid rows         (round 11) insertMode 'gap' with gapMax G: groups of at most G tokens left as gaps,
//                       larger ones (a paste) decoded after N copied tokens (kv/llamaKv.ts insertGroupsOrGaps)
// Env: STRATEGIES=name:end|adjacent|gap:N[:T[:G]],... the approximation rows (default hotpath:end:0,
// hotpath_adjacent:adjacent:0,hotpath_context4:end:4; N is insertContext, T the cells recomputed at the end,
// refreshTail, default 256; G gapMax, default none); MECHANICS=0 leaves out the x rows; PLAN=paste (round 11)
// replays a trace of that plan (kv-bench --plan) instead of far-edit: its edits of those kinds that
// leave >= 25% of the prompt stale (TYPED=n: n characters typed between episodes, kv-bench --typed; default 1) (and insert at most half of it: more, the editor re-encodes); BASE=typing
// replays each from the last typing request before it (a paste above the cursor into the typing window's
// cache: the editor's own trace asks at the paste point first, whose window is another one). The number after each row's name is the
// tokens it evaluated. Round 10's runs: bench/kv.md round 10 (logs bench/kv/smollm2-2k-far10-gap-*.txt).
// Per row: greedy tokens in common with the reference's 16; teacher-forced top-1 over 64 positions of
// the real continuation and its misses; mean KL; at the first position the row's margin between the
// reference's top two tokens and its logit error on each. Round 14: TIE=k (a greedy position, 1-based)
// adds, per row, its logits along the reference's 16 greedy tokens (teacher-forced on them: every row sees
// the reference's text up to k) and at position k the reference's token's lead over the runner-up the
// reference has there (`tie`: the reference's margin; the row's; negative = the row takes the runner-up),
// and the largest change of that lead over the 16 positions; and each row's greedy text.
import { readFileSync } from 'node:fs';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { ChunkTokenizer, ChunkedPrompt } from '../server/src/model/embedded/kv/chunks';
import { loadModel, modelTokenizer } from '../server/src/model/embedded/kv/llamaTesting';
import { segmentsToParts } from '../server/src/model/embedded/kv/workerKind';
import { appendTokens, copyPrefix, eraseRanges, fillTrailingGap, generateGreedy, insertAdjacent, insertGroups, insertGroupsOrGaps, logitsAlong } from '../server/src/model/embedded/kv/llamaKv';
import { promptBudget, promptTokensFor } from '../server/src/completion/prompt';
import { generateTrace, parsePlan, traceRequests } from '../server/src/completion/kvBench/editorTrace';
import { compare, type Probe } from '../server/src/completion/kvBench/measure';

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MODEL = join(homedir(), '.cache/hotpath/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf');
const HELD_OUT = join(homedir(), '.cache/hotpath/held-out');
/** Round 9's runs: round 7's far-edit traces of the 2k files (smollm2-2k-far7: seed 21 + the file's index), and
 *  round 8's 8k far edit at 0.31 (smollm2-8k-far8's request 1; google-adk 2.13.0, fetched as bench/kv.bench.ts says). */
const RUNS: string[][] = [
  [join(HELD_OUT, 'openai-agents-0.24.0/agents/logger.py'), '22', '9'],
  [join(HELD_OUT, 'a2a-sdk-1.3.0/a2a/client/card_resolver.py'), '21', '11'],
  [join(homedir(), '.cache/hotpath/kv-material/google_adk-2.13.0/google/adk/cli/fast_api.py'), '61', '1', '1'],
];
if (process.argv[2] === '--summary') {
  // the table over the far edits of the given logs (this script's output, kept in bench/kv/)
  summarize(process.argv.slice(3));
  process.exit(0);
}
if (!existsSync(MODEL)) {
  console.log(`kv-far-diag: no SmolLM2 at ${MODEL} (hotpath models fetch smollm2): skipped`);
  process.exit(0);
}
if (process.argv.length <= 2) {
  let failed = 0;
  for (const r of RUNS) {
    console.log(`$ node --import tsx bench/kv-far-diag.bench.ts ${r.join(' ')}`);
    failed += spawnSync(process.execPath, ['--import', 'tsx', __filename, ...r], { stdio: 'inherit' }).status === 0 ? 0 : 1;
  }
  process.exit(failed ? 1 : 0);
}
const [file, seedS, maxS, onlyS] = process.argv.slice(2);
const only = onlyS ? onlyS.split(',').map(Number) : undefined;
// strategies: [name, insertion mode, insertContext, cells recomputed at the end (refreshTail), gapMax]
const STRATEGIES: [string, 'end' | 'adjacent' | 'gap', number, number, number][] = (process.env.STRATEGIES ?? 'hotpath:end:0,hotpath_adjacent:adjacent:0,hotpath_context4:end:4')
  .split(',')
  .map((x) => x.split(':'))
  .map(([n, m, c, t, g]) => [n, m as 'end' | 'adjacent' | 'gap', Number(c), t === undefined ? 256 : Number(t), g === undefined ? Infinity : Number(g)]);
const PLAN = process.env.PLAN ?? 'far-edit';
const planKinds = new Set<string>(parsePlan(PLAN).map(([kind]) => kind));
const mechanics = process.env.MECHANICS !== '0';

const TIE = Number(process.env.TIE ?? 0);
let refGreedy: number[] | undefined;

async function rawProbe(seq: LlamaContextSequence, tokens: readonly number[], cont: readonly number[], vocabulary: number): Promise<Probe & { filled: number; along?: Float32Array[] }> {
  const n = tokens.length;
  await eraseRanges(seq, [{ start: n - 1, end: n }]);
  // a gap right before the last token (insertMode 'gap' without a tail) is evaluated first, as KvSession does
  const filled = await fillTrailingGap(seq);
  const logits = await logitsAlong(seq, [tokens[n - 1], ...cont.slice(0, -1)] as Token[], vocabulary);
  // round 14 (TIE): the logits along the reference's greedy tokens
  const along = TIE && refGreedy ? await logitsAlong(seq, [tokens[n - 1], ...refGreedy.slice(0, -1)] as Token[], vocabulary) : undefined;
  const greedy = await generateGreedy(seq, tokens[n - 1] as Token, 16);
  // generateGreedy leaves the last token in place: the sequence holds the prompt again (probed twice with TIE)
  if (seq.nextTokenIndex < n) await appendTokens(seq, [tokens[n - 1] as Token]);
  return { greedy, logits, filled, along };
}

/** The reference's greedy token's lead over `other` at each position of `along`. */
const leads = (along: Float32Array[], others: number[]) => along.map((l, k) => l[refGreedy![k]] - l[others[k]]);

(async () => {
  const model = await loadModel(MODEL);
  const tok = modelTokenizer(model);
  const chunker = new ChunkTokenizer(tok);
  const vocabulary = Number((model.fileInfo.architectureMetadata as unknown as { vocab_size?: number }).vocab_size ?? (model.fileInfo.metadata as any).tokenizer.ggml.tokens.length);
  const isEog = (t: number) => model.isEogToken(t as Token);
  const text = readFileSync(file, 'utf8');
  const contextSize = 8192;
  const budget = promptBudget(promptTokensFor(contextSize, 64), 3, false);
  const gen = generateTrace(text, { seed: Number(seedS), episodes: 8, typedChars: Number(process.env.TYPED ?? 1), plan: parsePlan(PLAN), windowChars: budget.prefixChars + budget.suffixChars });
  const toParts = (segs: any) => segmentsToParts(segs, (s) => tok.special(s));
  const traced = traceRequests(gen, { fim: undefined, path: file.split('/').pop()!, contextSize, repairAfterMs: 500, countTokens: (p) => chunker.promptTokens(toParts(p.segments)).length });
  const reqs = traced.requests.slice(0, Number(maxS) + 1);
  const parts = reqs.map((r) => toParts(r.prompt.segments));
  const lengths = parts.map((p) => chunker.promptTokens(p).length);
  const cells = Math.ceil((Math.max(...lengths) + 16 + 64 + 64) / 256) * 256;
  const ctx = await model.createContext({ contextSize: cells, sequences: 3, threads: 1, batchSize: 512 });
  const refSeq = ctx.getSequence();
  const oldSeq = ctx.getSequence();
  const work = ctx.getSequence();
  for (let i = 1; i < reqs.length; i++) {
    if (only && !only.includes(i)) continue;
    // the request whose exact cells the edit is replayed from: the one before, or (BASE=typing) the last
    // typing request before it, i.e. the cache of the typing window when the paste lands in it
    let base = i - 1;
    if (process.env.BASE === 'typing') {
      // only the episode's request after the one at the paste point (back at the typing place)
      if (reqs[i - 1].episode !== reqs[i].episode) continue;
      while (base > 0 && reqs[base].episode !== 'typing') base--;
    }
    const oldT = chunker.promptTokens(parts[base]);
    const newT = chunker.promptTokens(parts[i]);
    let common = 0;
    while (common < oldT.length && common < newT.length && oldT[common] === newT[common]) common++;
    const stale = (newT.length - common) / newT.length;
    if (!planKinds.has(reqs[i].episode) || stale < 0.25) continue;
    // more inserted than half the prompt: the editor re-encodes (maxEditFraction), nothing to replay
    const t0 = Date.now();
    // the token edits hotpath sees (old coordinates), for the mechanics states
    const cp = new ChunkedPrompt(chunker);
    cp.update(parts[base]);
    const edits = cp.update(parts[i]);
    const inserted = edits.reduce((s, e) => s + e.insert.length, 0);
    const groupSizes = `${inserted} inserted (largest group ${Math.max(0, ...edits.map((e) => e.insert.length))})${base === i - 1 ? '' : `, from request ${base}`}`;
    if (inserted > 0.5 * newT.length) continue;
    if (process.env.EDITS_ONLY === '1') {
      // the edits alone (no model run): which groups a gapMax leaves as gaps
      console.log(`req ${i}: ${reqs[i].episode}, ${newT.length} tokens, first change at ${common} (${(stale * 100).toFixed(0)}% stale), ${edits.length} token edits, ${groupSizes}; groups ${edits.map((e) => e.insert.length).join(',')}`);
      continue;
    }
    const cont = tok.tokenize(reqs[i].continuation).slice(0, 64);
    await refSeq.clearHistory();
    await appendTokens(refSeq, newT as Token[]);
    refGreedy = undefined;
    let ref = await rawProbe(refSeq, newT, cont, vocabulary);
    let refLeads: number[] | undefined;
    let runnerUp: number[] = [];
    if (TIE) {
      refGreedy = ref.greedy;
      ref = await rawProbe(refSeq, newT, cont, vocabulary);
      // the reference's runner-up at each greedy position, and its lead over it
      runnerUp = ref.along!.map((l, k) => {
        let best = -1;
        for (let t = 0; t < l.length; t++) if (t !== refGreedy![k] && (best < 0 || l[t] > l[best])) best = t;
        return best;
      });
      refLeads = leads(ref.along!, runnerUp);
      console.log(`  ref greedy ${JSON.stringify(model.detokenize(refGreedy as Token[]))}; lead over the runner-up at each greedy position: ${refLeads.map((x) => x.toFixed(3)).join(' ')}`);
      console.log(`  ref at greedy ${TIE}: ${JSON.stringify(model.detokenize([refGreedy[TIE - 1] as Token]))} over ${JSON.stringify(model.detokenize([runnerUp[TIE - 1] as Token]))} by ${refLeads[TIE - 1].toFixed(3)}`);
    }
    const top = [...ref.logits[0]].map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]);
    const [t1, t2] = [top[0][1], top[1][1]];
    const line = (name: string, p: Probe) => {
      const c = compare(ref, p, isEog);
      const l0 = p.logits[0];
      const err1 = l0[t1] - ref.logits[0][t1];
      const err2 = l0[t2] - ref.logits[0][t2];
      const own = [...l0].map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([v, k]) => `${JSON.stringify(model.detokenize([k as Token]))}`);
      console.log(`  ${name.padEnd(18)} greedy ${c.cp}/${c.n} top1 ${c.top1?.toFixed(3)} kl ${c.kl?.toFixed(4)} misses [${c.misses.join(',')}]  pos0: margin(ref top1-top2 here) ${(l0[t1] - l0[t2]).toFixed(3)} err top1 ${err1.toFixed(3)} err top2 ${err2.toFixed(3)} own top2 ${own.join(' ')}`);
      const along = (p as { along?: Float32Array[] }).along;
      if (refLeads && along) {
        const mine = leads(along, runnerUp);
        const shifts = mine.map((x, k) => x - refLeads![k]);
        const worst = shifts.reduce((w, x, k) => (Math.abs(x) > Math.abs(shifts[w]) ? k : w), 0);
        console.log(`    tie at greedy ${TIE}: lead ${mine[TIE - 1].toFixed(3)} (ref ${refLeads[TIE - 1].toFixed(3)}, change ${shifts[TIE - 1].toFixed(3)}); largest change ${shifts[worst].toFixed(3)} at greedy ${worst + 1}; greedy ${JSON.stringify(model.detokenize(p.greedy as Token[]))}`);
      }
    };
    console.log(`req ${i}: ${reqs[i].episode}, ${newT.length} tokens, first change at ${common} (${(stale * 100).toFixed(0)}% stale), ${edits.length} token edits, ${groupSizes}; ref pos0 top ${JSON.stringify(model.detokenize([t1 as Token]))} ${JSON.stringify(model.detokenize([t2 as Token]))} margin ${(top[0][0] - top[1][0]).toFixed(3)}; continuation ${JSON.stringify(reqs[i].continuation.slice(0, 40))}`);
    // groups as KvSession builds them (old coordinates, after the deletions)
    let removedOld = 0;
    const oldGroups = edits.map((e) => {
      const g = { at: e.start - removedOld, tokens: e.insert as Token[] };
      removedOld += e.deleteCount;
      return g;
    });
    await oldSeq.clearHistory();
    await appendTokens(oldSeq, oldT as Token[]);
    const tailRefresh = async (seq: LlamaContextSequence, tail = 256): Promise<number> => {
      if (tail <= 0) return 0;
      await eraseRanges(seq, [{ start: newT.length - tail, end: newT.length }]);
      const filled = await fillTrailingGap(seq);
      await appendTokens(seq, newT.slice(newT.length - tail) as Token[]);
      return filled + tail;
    };
    // the editor's far-edit path (session.ts: shift, insert, last 256 recomputed), from the exact old cells
    for (const [name, mode, context, tail, gapMax] of STRATEGIES) {
      const seq = work;
      await copyPrefix(seq, oldSeq, oldT.length);
      await eraseRanges(seq, edits.map((e) => ({ start: e.start, end: e.start + e.deleteCount })));
      let evaluated = 0;
      if (mode === 'end') evaluated = await insertGroups(seq, oldGroups, 512, context);
      else if (mode === 'gap') evaluated = await insertGroupsOrGaps(seq, oldGroups, 512, context, gapMax);
      else {
        let added = 0;
        for (const g of oldGroups) {
          await insertAdjacent(seq, g.at + added, g.tokens);
          added += g.tokens.length;
          evaluated += g.tokens.length;
        }
      }
      evaluated += await tailRefresh(seq, tail);
      if (seq.contextTokens.some((t, k) => t !== newT[k])) throw new Error(`${name}: tokens differ`);
      // a trailing gap the probe fills counts too (KvSession's complete() fills it the same way)
      const probe = await rawProbe(seq, newT, cont, vocabulary);
      line(`${name} (${evaluated + probe.filled})`, probe);
      await seq.clearHistory();
    }
    if (mechanics) {
      // the exact new cells with only the renamed occurrences re-inserted as the editor inserts them
      let delta = 0;
      const ranges: { start: number; end: number }[] = [];
      for (const e of edits) {
        ranges.push({ start: e.start + delta, end: e.start + delta + e.insert.length });
        delta += e.insert.length - e.deleteCount;
      }
      let removed = 0;
      const groups = ranges.map((r, k) => {
        const g = { at: r.start - removed, tokens: edits[k].insert as Token[] };
        removed += r.end - r.start;
        return g;
      });
      for (const [name, context] of [['xEnd', 0], ['xCtx4', 4]] as const) {
        const seq = work;
        await copyPrefix(seq, refSeq, newT.length);
        await eraseRanges(seq, ranges);
        await insertGroups(seq, groups, 512, context);
        await tailRefresh(seq);
        line(name, await rawProbe(seq, newT, cont, vocabulary));
        await seq.clearHistory();
      }
      // exact cells, the last 256 recomputed: the tail's kernel noise alone
      await copyPrefix(work, refSeq, newT.length);
      await tailRefresh(work);
      line('xTail', await rawProbe(work, newT, cont, vocabulary));
      await work.clearHistory();
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await ctx.dispose();
  await model.dispose();
})();

/** Per row over every far edit of the logs: edits, foreground tokens, 16-token greedy agreement (mean,
 *  and edits >= 0.95), teacher-forced top-1, KL, first greedy token kept. */
function summarize(logs: readonly string[]): void {
  const rows = new Map<string, { n: number; fg: number; agree: number; ok: number; top1: number; kl: number; first: number; fgKnown: number }>();
  const prompts: number[] = [];
  const prefix: number[] = [];
  for (const log of logs) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const req = /^req \d+: (?:[a-z-]+, )?(\d+) tokens, first change at (\d+)/.exec(line);
      if (req) {
        prompts.push(Number(req[1]));
        prefix.push(Number(req[1]) - Number(req[2]));
      }
      const m = /^  (\S+)(?: \((\d+)\))?\s+greedy (\d+)\/(\d+) top1 ([\d.]+) kl ([\d.]+)/.exec(line);
      if (!m) continue;
      const r = rows.get(m[1]) ?? { n: 0, fg: 0, agree: 0, ok: 0, top1: 0, kl: 0, first: 0, fgKnown: 0 };
      const a = Number(m[3]) / Number(m[4]);
      r.n++;
      if (m[2]) {
        r.fg += Number(m[2]);
        r.fgKnown++;
      }
      r.agree += a;
      if (a >= 0.95) r.ok++;
      if (Number(m[3]) > 0) r.first++;
      r.top1 += Number(m[5]);
      r.kl += Number(m[6]);
      rows.set(m[1], r);
    }
  }
  const meanPrompt = prompts.reduce((x, y) => x + y, 0) / Math.max(1, prompts.length);
  console.log(`${prompts.length} far edits, mean prompt ${meanPrompt.toFixed(0)} tokens`);
  console.log('| row | edits | fg tokens | greedy 16 (>= 0.95) | first token kept | top-1 over 64 | KL |');
  console.log('|---|---:|---:|---|---:|---:|---:|');
  const p = prefix.reduce((x, y) => x + y, 0) / Math.max(1, prefix.length);
  // not replayed: it recomputes the reference's content from the first change (in other batches: kernel noise only)
  console.log(`| prefix reuse (tokens only) | ${prefix.length} | ${p.toFixed(1)} (${((100 * p) / meanPrompt).toFixed(1)}%) | not replayed | | | |`);
  for (const [name, r] of rows) {
    const fg = r.fgKnown ? `${(r.fg / r.fgKnown).toFixed(1)} (${((100 * r.fg) / r.fgKnown / meanPrompt).toFixed(1)}%)` : '-';
    console.log(`| ${name} | ${r.n} | ${fg} | ${(r.agree / r.n).toFixed(3)} (${r.ok} of ${r.n}) | ${r.first} of ${r.n} | ${(r.top1 / r.n).toFixed(3)} | ${(r.kl / r.n).toFixed(4)} |`);
  }
}
