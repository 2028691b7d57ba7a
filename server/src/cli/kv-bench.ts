// `hotpath kv-bench`: edit traces on real source files, four KV-reuse strategies side by side.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatKvBench, runKvBench } from '../model/embedded/kv/bench';
import { ensureTestModel, repoRoot } from '../model/testModel';
import { UsageError } from './args';

export const usage = `Usage: hotpath kv-bench [options]

Replay edit traces (insertions, deletions, multi-place edits at random positions) on real source
files of 1k to 8k tokens and compare, on the same traces in one run: full recomputation, prefix
reuse (llama.cpp cache_prompt), chunk reuse (llama.cpp --cache-reuse N) and Hotpath's edit-aware
reuse before and after background repair. Reports tokens evaluated per edit, ms per edit and
agreement of the greedy next tokens with full recomputation.

Options:
  --model PATH        GGUF model (default: assets/hotpath-code-tiny.gguf when present, else the
                      generated test model: random weights, mechanics only)
  --format text|json  output format (default: text)
  --sources PATHS     comma-separated files/directories to draw source files from
                      (default: the Python standard library in /usr/lib/python3.*, else this
                      repository's server/src)
  --files N           source files, one per size band between --min-tokens and --max-tokens (default 3)
  --edits N           edits per file (default 6)
  --min-tokens N      (default 1000)   --max-tokens N   (default 8000)
  --generate N        greedy tokens compared per edit (default 16)
  --chunk-reuse N     minimum chunk for the llama.cpp --cache-reuse baseline (default 256)
  --refresh-tail N    Hotpath: also recompute the last N cells after each edit (default 0)
  --kv-type F16|F32   KV cell type (default F16)
  --threads N         evaluation threads (default 1)
  --seed N            trace seed (default 1)`;

function num(v: string | undefined, name: string): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < 0) throw new UsageError(`${name} needs a non-negative number`);
  return n;
}

/** The Python standard library when installed (stable across runs), else this repository's sources. */
function defaultSources(root: string): string[] {
  const out: string[] = [];
  try {
    for (const d of readdirSync('/usr/lib').sort()) if (/^python3\.\d+$/.test(d)) out.push(join('/usr/lib', d));
  } catch {
    /* no system Python */
  }
  return out.length ? out : [join(root, 'server', 'src')];
}

export async function run(argv: string[]): Promise<number> {
  let model: string | undefined;
  let format = 'text';
  let sources: string[] | undefined;
  const o = { files: 3, edits: 6, minTokens: 1000, maxTokens: 8000, generate: 16, chunkReuse: 256, threads: 1, seed: 1, refreshTail: 0, kvType: 'F16' as 'F16' | 'F32' };
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
      case '--files': o.files = Math.max(1, Math.floor(num(v(), a))); break;
      case '--edits': o.edits = Math.max(1, Math.floor(num(v(), a))); break;
      case '--min-tokens': o.minTokens = num(v(), a); break;
      case '--max-tokens': o.maxTokens = num(v(), a); break;
      case '--generate': o.generate = Math.max(1, Math.floor(num(v(), a))); break;
      case '--chunk-reuse': o.chunkReuse = Math.max(1, Math.floor(num(v(), a))); break;
      case '--threads': o.threads = Math.max(1, Math.floor(num(v(), a))); break;
      case '--seed': o.seed = Math.floor(num(v(), a)); break;
      case '--refresh-tail': o.refreshTail = Math.floor(num(v(), a)); break;
      case '--kv-type': {
        const t = v().toUpperCase();
        if (t !== 'F16' && t !== 'F32') throw new UsageError('--kv-type must be F16 or F32');
        o.kvType = t;
        break;
      }
      default: throw new UsageError(`unknown option ${a}`);
    }
  }
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  if (o.maxTokens <= o.minTokens) throw new UsageError('--max-tokens must exceed --min-tokens');
  const root = repoRoot();
  let modelKind = 'given with --model';
  if (!model) {
    const trained = join(root, 'assets', 'hotpath-code-tiny.gguf');
    if (existsSync(trained)) {
      model = trained;
      modelKind = "Hotpath's small trained code model";
    } else {
      model = await ensureTestModel();
      modelKind = 'generated test model (random weights: agreement shows mechanics, not completion quality)';
    }
  } else if (!existsSync(model)) {
    throw new UsageError(`no model at ${model}`);
  }
  const result = await runKvBench({
    model: resolve(model),
    modelKind,
    sources: sources ?? defaultSources(root),
    files: o.files,
    editsPerFile: o.edits,
    seed: o.seed,
    threads: o.threads,
    minTokens: o.minTokens,
    maxTokens: o.maxTokens,
    generate: o.generate,
    chunkReuseMin: o.chunkReuse,
    refreshTail: o.refreshTail,
    kvCacheType: o.kvType,
    log: format === 'text' ? (l) => process.stderr.write(l + '\n') : undefined,
  });
  if (format === 'json') console.log(JSON.stringify(result, null, 2));
  else console.log(formatKvBench(result));
  return 0;
}
