// `hotpath kv-bench` and bench/kv.bench.ts: seeded editing sessions (editorTrace.ts) replayed on
// held-out source files, and the ways of keeping a KV cache across the completion requests they
// cause, side by side on the same prompts in one run:
//   full              re-encode the whole prompt at every request
//   full_aligned      the same in the aligned layout (model/embedded/kv/layout.ts: each token's batch
//                     class fixed; in the anchored layout with hotpath's anchor, which prefix_aligned
//                     shares: it follows from the prompts), the reference of every row's `vs_aligned` figures
//   prefix            keep the longest common token prefix (llama.cpp cache_prompt, vLLM/SGLang)
//   prefix_aligned    the same in the aligned layout (cut back as far as the batch classes require)
//   chunk             llama.cpp server's --cache-reuse N, transcribed (session.ts)
//   llama_server      the real llama-server (--cache-reuse N) over HTTP, given the same token ids
//   hotpath           edit-aware reuse as the editor runs it (aligned), measured at each request before repair; it repairs to the
//                     end in every pause that allows it (the pause after a request is longer than
//                     the debounce plus repairAfterMs)
//   hotpath_repaired  the same session measured right after such a repair
//   variants          hotpath with another approximation or background step (VARIANTS below)
// Per strategy: foreground tokens and ms per request (the sync before generation), background
// tokens and ms (repair), total work relative to prefix reuse, and against full recomputation:
// agreement of the greedy next `generate` tokens (common prefix / length, to the first end-of-
// generation token), top-1 agreement of the next token over `positions` positions of the real
// continuation (teacher forcing) and the mean KL divergence there; `identical`: greedy tokens and
// every one of those logits equal to the reference's bit for bit. Every row is compared with both
// references: full recomputation in the default batches (the figures) and in the aligned layout
// (`vs_aligned`); where full does not run, prefix reuse in the same layout stands in for it.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import type { PromptSegment } from '../../model/fim';
import { ChunkTokenizer, tokenizationDrift, type PromptPart } from '../../model/embedded/kv/chunks';
import { loadModel, modelTokenizer } from '../../model/embedded/kv/llamaTesting';
import { KvSession, type KvSessionOptions } from '../../model/embedded/kv/session';
import { BACKGROUND_REPAIR, EDIT_AWARE, segmentsToParts } from '../../model/embedded/kv/workerKind';
import { promptBudget, promptTokensFor } from '../prompt';
import { EPISODES, generateTrace, traceRequests, type Episode } from './editorTrace';
import { decisiveReport, margin, maxLogitDifference } from './decisive';
import { compare, cpuMs, figures, newRow, record, type Against, type Probe, type Row } from './measure';
import { serverComplete, startServer } from './llamaServerRow';
import { OPTIONAL_BASELINES, VARIANTS, type KvBenchOptions, type KvBenchResult, type StrategyResult } from './types';

export { formatKvBench } from './format';
export { heldOutBenchFiles, sourceBenchFiles } from './files';
export * from './types';

const isFull = (name: string) => name === 'full' || name === 'full_aligned';

/** A reference's figures against itself, over the requests it ran at. */
function itself(row: Row) {
  return { ...figures(row.all), requests: row.sampled, agreement: 1, exact_match: 1, identical: 1, top1: 1, kl: 0, kl_max: 0 };
}

function vocabularySize(model: LlamaModel): number {
  const arch = model.fileInfo.architectureMetadata as unknown as { vocab_size?: number };
  const md = model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } };
  return Number(arch?.vocab_size ?? md.tokenizer?.ggml?.tokens?.length ?? 0);
}


/** Open `s` on `parts` with the cells of the first of `donors` that allows it (KvSession.openFrom). */
async function openFromAny(s: KvSession, donors: KvSession[], parts: readonly PromptPart[]): Promise<boolean> {
  for (const d of donors) if (await s.openFrom(d, parts)) return true;
  return false;
}

export async function runKvBench(o: KvBenchOptions): Promise<KvBenchResult> {
  const log = o.log ?? (() => undefined);
  const generate = o.generate ?? 16;
  const positions = o.positions ?? 64;
  const chunkReuseMin = o.chunkReuseMin ?? 256;
  const fullEvery = Math.max(1, o.fullEvery ?? 1);
  const variants = o.variants ?? VARIANTS;
  const baselines = new Set(o.baselines ?? OPTIONAL_BASELINES);
  const withChunk = baselines.has('chunk');
  // prefix_aligned only where it is the aligned reference and hotpath does not repair (else hotpath_repaired)
  const alignedOnDemand = !baselines.has('prefix_aligned');
  const model: LlamaModel = await loadModel(o.model);
  const tok = modelTokenizer(model);
  const chunker = new ChunkTokenizer(tok);
  const vocabulary = vocabularySize(model);
  const isEog = (t: number) => model.isEogToken(t as Token);
  const eos = model.tokens.eos ?? model.tokens.eot ?? -1;
  const trainContextSize = model.trainContextSize;
  const parameters = model.fileInsights.totalParameters;
  const contextSize = o.contextSize ?? Math.min(8192, trainContextSize);
  const align = EDIT_AWARE.align!;
  const names = ['full', 'full_aligned', 'prefix', 'prefix_aligned', ...(withChunk ? ['chunk'] : []), ...(o.llamaServer ? ['llama_server'] : []), 'hotpath', 'hotpath_repaired', ...variants.flatMap((v) => (v.background === 'refine' ? [v.name, `${v.name}_refined`] : [v.name]))];
  const rows = new Map<string, Row>();
  const describe: Record<string, string> = {
    full: 're-encodes the whole prompt (in batches of 512 tokens)',
    full_aligned: `re-encodes the whole prompt in the aligned layout (${EDIT_AWARE.layout}: tokens below the boundary in batches of >= ${align} tokens, the rest up to the last token in batches of < ${align}, the last token alone; the anchored layout's boundary is hotpath's anchor)`,
    prefix: 'keeps the common token prefix (llama.cpp cache_prompt)',
    prefix_aligned: `keeps the common token prefix, cut back where a token's batch class changes or a tiled batch needs ${align} tokens, recomputes the rest in the aligned layout (${EDIT_AWARE.layout}; its anchor follows from the prompts, as hotpath's)`,
    chunk: `llama.cpp server --cache-reuse ${chunkReuseMin}, transcribed into the engine`,
    llama_server: `the real llama-server, --cache-reuse ${chunkReuseMin}, over HTTP (its own prompt timings)`,
    hotpath: `the editor's edit-aware strategy (workerKind.ts EDIT_AWARE): exact recomputation in the aligned layout (${align}) when the stale cells are <= ${EDIT_AWARE.exactWithin! * 100}% of the prompt or cheaper, else position shifting (each inserted group decoded after a copy of the ${EDIT_AWARE.insertContext} tokens before it) plus the last ${EDIT_AWARE.refreshTail} cells; before repair; exact repair in pauses`,
    hotpath_repaired: 'hotpath right after a background repair',
  };
  for (const v of variants) {
    describe[v.name] = v.description;
    if (v.background === 'refine') describe[`${v.name}_refined`] = `${v.name} right after its background refinement`;
  }
  for (const name of names) rows.set(name, newRow(describe[name] ?? name));
  const server = o.llamaServer ? await startServer(o.llamaServer, o.model, contextSize, o.threads, chunkReuseMin) : undefined;
  const fileResults: KvBenchResult['files'] = [];
  const trace: KvBenchResult['trace'] = [];
  const byEpisode: Partial<Record<Episode, number>> = {};
  let requests = 0;
  let repairPauses = 0;
  const reference = { full: 0, prefix: 0 };
  const referenceAligned: KvBenchResult['reference_aligned'] = { full_aligned: 0, prefix_aligned: 0, ...(alignedOnDemand ? { hotpath_repaired: 0 } : {}) };
  let repairMsPerToken = { ms: 0, tokens: 0 };
  let repairCpuMs = 0;
  let traceMs = 0;
  let finishedInPause = 0;
  let fallback: string | undefined;
  let loneToken: { oneThread: boolean; why: string } | undefined;
  // the sessions that evaluated each file's opening prompt and those that got a copy of one's cells
  const shared = o.sharedOpening ?? true;
  const opened = { evaluated: 0, copied: 0 };
  try {
    for (let fi = 0; fi < o.files.length; fi++) {
      const file = o.files[fi];
      // the window above the cursor at the provider's first estimate (3 characters per token): far-edit's distances
      const budget = promptBudget(promptTokensFor(contextSize, 64), 3, false);
      const gen = generateTrace(file.text, { seed: o.seed + fi, episodes: o.episodes, typedChars: o.typedChars, plan: o.plan, windowChars: budget.prefixChars + budget.suffixChars });
      const toParts = (segments: PromptSegment[]): PromptPart[] => segmentsToParts(segments, (s) => tok.special(s));
      const traced = traceRequests(gen, {
        fim: o.fim,
        path: file.label.split(' ').pop() ?? 'file',
        contextSize,
        repairAfterMs: o.repairAfterMs,
        countTokens: (p) => chunker.promptTokens(toParts(p.segments)).length,
      });
      const reqs = o.maxRequests ? traced.requests.slice(0, o.maxRequests + 1) : traced.requests;
      const last = reqs[reqs.length - 1];
      // the session up to the pause after the last request measured
      const durationMs = reqs.length < traced.requests.length ? last.atMs + last.pauseMs : traced.durationMs;
      const keystrokes = reqs.length < traced.requests.length ? reqs.reduce((s, r) => s + r.events, 0) : traced.keystrokes;
      if (reqs.length < 2) throw new Error(`${file.label}: the trace made ${reqs.length} requests`);
      const parts = reqs.map((r) => toParts(r.prompt.segments));
      const lengths = parts.map((p) => chunker.promptTokens(p).length);
      const drift = tokenizationDrift(chunker, file.text);
      fileResults.push({
        label: file.label,
        tokens: file.tokens,
        requests: reqs.length - 1,
        promptTokens: { min: Math.min(...lengths), mean: Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length), max: Math.max(...lengths) },
        tokenizationDrift: drift,
        traceSeconds: Math.round(durationMs / 1000),
        keystrokes,
      });
      traceMs += durationMs;
      log(`${file.label}: ${file.tokens} tokens, ${reqs.length} requests over ${(durationMs / 1000).toFixed(0)} s of editing, prompts ${Math.min(...lengths)}-${Math.max(...lengths)} tokens`);
      // One context, one sequence per session (cells sized to the largest prompt plus the probes).
      const cells = Math.min(contextSize, Math.ceil((Math.max(...lengths) + generate + positions + 64) / 256) * 256);
      // full_aligned after hotpath: in the anchored layout it recomputes with hotpath's anchor
      const sessionNames = ['full', 'prefix', 'prefix_aligned', ...(withChunk ? ['chunk'] : []), 'hotpath', 'full_aligned', ...variants.map((v) => v.name)];
      const ctx: LlamaContext = await model.createContext({ contextSize: cells, sequences: sessionNames.length + 1, threads: o.threads, batchSize: 512 });
      const sessions = new Map<string, KvSession>();
      const base: KvSessionOptions = { chunkReuseMin };
      sessions.set('full', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'full' }));
      const anchorOf = () => sessions.get('hotpath')!.status().anchor;
      sessions.set('full_aligned', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'full', align, layout: EDIT_AWARE.layout, anchorOf }));
      sessions.set('prefix', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'prefix' }));
      sessions.set('prefix_aligned', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'prefix', align, layout: EDIT_AWARE.layout }));
      if (withChunk) sessions.set('chunk', new KvSession(ctx.getSequence(), undefined, tok, { ...base, strategy: 'chunk' }));
      sessions.set('hotpath', new KvSession(ctx.getSequence(), ctx.getSequence(), tok, { ...base, ...EDIT_AWARE, strategy: 'hotpath' }));
      for (const v of variants) sessions.set(v.name, new KvSession(ctx.getSequence(), undefined, tok, { ...base, ...v.options, strategy: 'hotpath' }));
      fallback ??= sessions.get('hotpath')!.fallback;
      loneToken ??= sessions.get('hotpath')!.loneToken;
      if (fallback) log(`edit-aware reuse unavailable: ${fallback} (every hotpath row is prefix reuse)`);
      try {
        for (let ri = 0; ri < reqs.length; ri++) {
          const req = reqs[ri];
          const open = ri === 0;
          const runFull = open || (ri - 1) % fullEvery === 0;
          // the aligned reference: full_aligned where full runs, else prefix_aligned, or (prefix_aligned on
          // demand) hotpath right after its exact repair where it repairs after this request
          const refAName = runFull ? 'full_aligned' : alignedOnDemand && req.repairs ? 'hotpath_repaired' : 'prefix_aligned';
          const skip = (name: string) => (isFull(name) && !runFull) || (!open && alignedOnDemand && name === 'prefix_aligned' && refAName !== 'prefix_aligned');
          const cont = tok.tokenize(req.continuation).slice(0, positions);
          const probes = new Map<string, Probe>();
          const line: KvBenchResult['trace'][number] = { file: fi, i: ri, episode: req.episode, tokens: lengths[ri], repairs: req.repairs, fg: {}, s: {}, a: {} };
          const stats = new Map<string, number>();
          for (const name of sessionNames) {
            if (skip(name)) continue;
            const s = sessions.get(name)!;
            if (open && shared && !fallback && await openFromAny(s, sessionNames.slice(0, sessionNames.indexOf(name)).map((n) => sessions.get(n)!), parts[ri])) {
              opened.copied++;
              continue;
            }
            const c0 = cpuMs();
            const st = await s.sync(parts[ri]);
            const cpu = cpuMs() - c0;
            stats.set(name, st.evaluated);
            if (open) {
              opened.evaluated++;
              continue;
            }
            const row = rows.get(name)!;
            row.fgTokens += st.evaluated;
            row.fgMs += st.ms;
            row.fgCpu += cpu;
            row.fgN++;
            if (st.reencoded) row.reencodes++;
            if (name === 'hotpath') {
              const r = rows.get('hotpath_repaired')!;
              r.fgTokens += st.evaluated;
              r.fgMs += st.ms;
              r.fgCpu += cpu;
              r.fgN++;
            }
            const v = variants.find((x) => x.name === name);
            if (v?.background === 'refine') {
              const r = rows.get(`${name}_refined`)!;
              r.fgTokens += st.evaluated;
              r.fgMs += st.ms;
              r.fgCpu += cpu;
              r.fgN++;
            }
          }
          let srv: Awaited<ReturnType<typeof serverComplete>> | undefined;
          if (server) {
            srv = await serverComplete(server, chunker.promptTokens(parts[ri]), generate, eos);
            if (!open) {
              const row = rows.get('llama_server')!;
              row.fgTokens += srv.evaluated;
              row.fgMs += srv.ms;
              row.fgCpu += srv.cpuMs;
              row.fgN++;
              if (srv.cached === 0) row.reencodes++;
            }
          }
          if (open) {
            log(`  opening: ${lengths[0]} tokens evaluated by ${opened.evaluated} session(s), copied to ${opened.copied}${shared ? '' : ' (--no-shared-opening)'}`);
            opened.evaluated = opened.copied = 0;
            continue;
          }
          requests++;
          byEpisode[req.episode] = (byEpisode[req.episode] ?? 0) + 1;
          // the references: full recomputation when it ran, else prefix reuse (the same cells), in
          // the default batches and in the aligned layout
          const refName = runFull ? 'full' : 'prefix';
          reference[refName]++;
          referenceAligned[refAName] = (referenceAligned[refAName] ?? 0) + 1;
          for (const name of ['full', 'full_aligned']) {
            const row = rows.get(name)!;
            if (!runFull) {
              row.fgTokens += lengths[ri];
              row.fgN++;
            } else row.sampled++;
          }
          for (const name of sessionNames) {
            if (skip(name)) continue;
            probes.set(name, await sessions.get(name)!.probe(cont, generate, vocabulary));
          }
          // hotpath's repair in the pause after this request: here already when its cells are the aligned reference
          const repairHotpath = async () => {
            const h = sessions.get('hotpath')!;
            const rc0 = cpuMs();
            const r = await h.repair({ ...BACKGROUND_REPAIR });
            const cpu = cpuMs() - rc0;
            return { r, cpu, probe: await h.probe(cont, generate, vocabulary) };
          };
          const early = refAName === 'hotpath_repaired' ? await repairHotpath() : undefined;
          if (early) probes.set('hotpath_repaired', early.probe);
          const ref = probes.get(refName)!;
          const refA = probes.get(refAName)!;
          // for the decisive figures (decisive.ts): the aligned reference's margins along the real
          // continuation and along its own greedy tokens, and how far the noise floor's logits are from it
          const alongGreedy = (await sessions.get(refAName === 'hotpath_repaired' ? 'hotpath' : refAName)!.probe(refA.greedy, 0, vocabulary)).logits;
          const r3 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : 1e9);
          line.d = { noise: maxLogitDifference(probes.get('prefix')!.logits, refA.logits), tf: refA.logits.map((l) => r3(margin(l))), g: alongGreedy.map((l) => r3(margin(l))) };
          line.x = {};
          /** Record a probe of `row` against both references (not against itself). */
          const measure = (name: string, row: Row, p: Probe | { greedy: number[] }, evaluated: number, background: number) => {
            const c = compare(ref, p, isEog);
            const ca = compare(refA, p, isEog);
            if (name !== refName) {
              record(row, req.episode, c, evaluated, background);
              line.s[name] = [evaluated, c.agreement, c.top1, c.kl];
            }
            if (name !== refAName) {
              record(row.aligned as Against, req.episode, ca, evaluated, background);
              line.a[name] = [ca.agreement, ca.top1, ca.kl, ca.identical ? 1 : 0];
              if (ca.top1 !== null) line.x![name] = [ca.cp, ca.n, ...ca.misses];
            }
          };
          for (const name of sessionNames) {
            if (skip(name)) continue;
            measure(name, rows.get(name)!, probes.get(name)!, stats.get(name) ?? 0, 0);
            const v = variants.find((x) => x.name === name);
            if (v?.background === 'refine' && !req.repairs) line.s[`${name}_refined`] = [stats.get(name) ?? 0, NaN, null, null];
          }
          if (runFull) {
            line.s.full = [lengths[ri], 1, 1, 0];
            line.a.full_aligned = [1, 1, 0, 1];
          }
          if (srv) measure('llama_server', rows.get('llama_server')!, { greedy: srv.greedy }, srv.evaluated, 0);
          if (req.repairs) {
            repairPauses++;
            // hotpath: exact repair to the end, then measured again
            const h = sessions.get('hotpath')!;
            const { r, cpu, probe: repairedProbe } = early ?? (await repairHotpath());
            const bg: Record<string, number> = { hotpath: r.repaired };
            line.bg = bg;
            repairCpuMs += cpu;
            if (r.ms <= req.repairWindowMs) finishedInPause++;
            repairMsPerToken = { ms: repairMsPerToken.ms + r.ms, tokens: repairMsPerToken.tokens + r.repaired };
            for (const name of ['hotpath', 'hotpath_repaired']) {
              const row = rows.get(name)!;
              row.bgTokens += r.repaired;
              row.bgMs += r.ms;
            }
            measure('hotpath_repaired', rows.get('hotpath_repaired')!, repairedProbe, stats.get('hotpath') ?? 0, r.repaired);
            for (const v of variants) {
              const s = sessions.get(v.name)!;
              const row = rows.get(v.name)!;
              if (v.background === 'repair') {
                const repaired = await s.adopt(h);
                bg[v.name] = repaired;
                row.bgTokens += repaired;
                row.bgEstimated = true;
              } else if (v.background === 'refine') {
                const rr = await s.refine({ vocabulary });
                bg[v.name] = rr.repaired;
                row.bgTokens += rr.repaired;
                row.bgMs += rr.ms;
                const after = rows.get(`${v.name}_refined`)!;
                after.bgTokens += rr.repaired;
                after.bgMs += rr.ms;
                measure(`${v.name}_refined`, after, await s.probe(cont, generate, vocabulary), stats.get(v.name) ?? 0, rr.repaired);
              }
            }
          }
          line.fg = Object.fromEntries(stats);
          if (srv) line.fg.llama_server = srv.evaluated;
          trace.push(line);
          if (o.partial) writeFileSync(o.partial, JSON.stringify({ partial: true, files: fileResults, trace }) + '\n');
          const h = line.s.hotpath;
          const ha = line.a.hotpath;
          log(
            `  ${ri}/${reqs.length - 1} ${req.episode}: ${lengths[ri]} tokens; prefix eval ${stats.get('prefix')}, hotpath eval ${stats.get('hotpath')} agreement ${h?.[1].toFixed(2)} top1 ${h?.[2]?.toFixed(2)} kl ${h?.[3]?.toFixed(4)}; vs aligned full ${ha?.[0].toFixed(2)} kl ${ha?.[2]?.toFixed(4)}${ha?.[3] ? ' identical' : ''}${req.repairs ? ' (repair)' : ''}`,
          );
        }
      } finally {
        for (const s of sessions.values()) await s.dispose().catch(() => undefined);
        await ctx.dispose();
      }
    }
  } finally {
    await server?.stop();
    await model.dispose();
  }
  // variants that took over hotpath's repaired cells: ms at hotpath's measured repair speed
  const msPerToken = repairMsPerToken.tokens ? repairMsPerToken.ms / repairMsPerToken.tokens : 0;
  for (const row of rows.values()) if (row.bgEstimated) row.bgMs = row.bgTokens * msPerToken;
  const prefixTokens = rows.get('prefix')!.fgTokens / Math.max(1, rows.get('prefix')!.fgN);
  const strategies: Record<string, StrategyResult> = {};
  for (const [name, row] of rows) {
    const per = (x: number) => x / Math.max(1, row.fgN);
    const fg = per(row.fgTokens);
    const bg = row.bgTokens / Math.max(1, requests);
    strategies[name] = {
      description: row.description,
      ...(name === 'full' ? itself(row) : figures(row.all)),
      evaluated_tokens: fg,
      ms_per_edit: isFull(name) ? row.fgMs / Math.max(1, row.sampled) : per(row.fgMs),
      cpu_ms_per_edit: isFull(name) ? row.fgCpu / Math.max(1, row.sampled) : per(row.fgCpu),
      background_tokens: bg,
      background_ms_per_edit: row.bgMs / Math.max(1, requests),
      ...(row.bgEstimated ? { background_ms_estimated: true } : {}),
      total_vs_prefix: (fg + bg) / Math.max(1e-9, prefixTokens),
      reencodes: row.reencodes,
      by_episode: Object.fromEntries(
        EPISODES.filter((e) => row.episodes.has(e)).map((e) => {
          const a = row.episodes.get(e)!;
          return [e, { ...figures(a), evaluated_tokens: a.evaluated / Math.max(1, a.n), background_tokens: a.background / Math.max(1, a.n) }];
        }),
      ),
      ...(isFull(name) ? { sampled: row.sampled } : {}),
      vs_aligned: {
        ...(name === 'full_aligned' ? itself(row) : figures(row.aligned.all)),
        by_episode: Object.fromEntries(EPISODES.filter((e) => row.aligned.episodes.has(e)).map((e) => [e, figures(row.aligned.episodes.get(e)!)])),
      },
    };
  }
  const hp = strategies.hotpath;
  const full = strategies.full;
  const rep = strategies.hotpath_repaired;
  const candidates = Object.entries(strategies).filter(([n, s]) => n.startsWith('hotpath') && !n.endsWith('_repaired') && !n.endsWith('_refined') && s.evaluated_tokens <= 0.1 * full.evaluated_tokens && s.agreement >= 0.95 && s.total_vs_prefix <= 1);
  const repairedLines = trace.filter((l) => l.a.hotpath_repaired);
  const md = model.fileInfo.metadata as unknown as { general?: { name?: string; architecture?: string } };
  return {
    model: { path: o.model, kind: o.modelKind, name: md.general?.name ?? basename(o.model), parameters: parameters ?? undefined, architecture: md.general?.architecture, trainContextSize },
    device: `CPU (${o.threads} thread${o.threads === 1 ? '' : 's'}); no GPU was lent to this run`,
    layout: o.fim ? 'fim' : 'prefix-only',
    contextSize,
    files: fileResults,
    requests,
    byEpisode,
    repairPauses,
    generate,
    positions,
    chunkReuseMin,
    reference,
    align,
    reference_aligned: referenceAligned,
    ...(o.baselines ? { baselines: [...baselines] } : {}),
    edit_aware: fallback ? { supported: false, fallback } : { supported: true },
    ...(loneToken ? { lone_token: { one_thread: loneToken.oneThread, why: loneToken.why } } : {}),
    repair_cpu: {
      threads: o.threads,
      duty_cycle: BACKGROUND_REPAIR.dutyCycle,
      cpu_s: repairCpuMs / 1000,
      trace_minutes: traceMs / 60_000,
      cpu_s_per_minute: traceMs > 0 ? repairCpuMs / 1000 / (traceMs / 60_000) : 0,
      pauses: repairPauses,
      finished_in_pause: finishedInPause,
    },
    strategies,
    ratios: {
      hotpath_evaluated_vs_full: hp.evaluated_tokens / full.evaluated_tokens,
      hotpath_total_vs_prefix: hp.total_vs_prefix,
      prefix_evaluated_vs_full: strategies.prefix.evaluated_tokens / full.evaluated_tokens,
      ...(strategies.chunk ? { chunk_evaluated_vs_full: strategies.chunk.evaluated_tokens / full.evaluated_tokens } : {}),
    },
    decisive: decisiveReport(trace),
    targets: {
      foreground_at_most_10pct_of_full: hp.evaluated_tokens <= 0.1 * full.evaluated_tokens,
      agreement_before_repair_ge_095: hp.agreement >= 0.95,
      agreement_before_repair_ge_095_vs_aligned: hp.vs_aligned.agreement >= 0.95,
      foreground_plus_repair_le_prefix: hp.total_vs_prefix <= 1,
      repaired_equals_full: rep.requests > 0 && rep.agreement === 1 && rep.top1 === 1,
      repaired_identical_to_aligned_full: repairedLines.length > 0 && repairedLines.every((l) => l.a.hotpath_repaired[3] === 1),
      ...(candidates.length ? { best_variant: candidates.sort((a, b) => b[1].agreement - a[1].agreement)[0][0] } : {}),
    },
    trace,
  };
}
