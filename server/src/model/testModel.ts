// The project's own model for tests: scripts/model/make_test_model.py run once and cached under
// .cache/models/ (gitignored). The file name carries the options and a hash of the generator, so a
// changed generator makes a new model; concurrent test processes each write a temporary file and
// rename it into place (same bytes for the same options, so the race is harmless).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The shapes make_test_model.py builds (its --shape choices). */
export const TEST_MODEL_SHAPES = ['tiny', 'small', 'deepseek-1.3b', 'qwen-1.5b', 'deepseek-6.7b'] as const;
export type TestModelShape = (typeof TEST_MODEL_SHAPES)[number];

export interface TestModelOptions {
  /** make_test_model.py --shape (default 'tiny': ~1 M parameters, ~4 MB, under a second). */
  shape?: TestModelShape;
  seed?: number;
  /** Family whose FIM special tokens the vocabulary carries (default 'qwen'). */
  fim?: 'qwen' | 'deepseek' | 'starcoder' | 'codellama' | 'none';
  dtype?: 'f32' | 'f16';
  /** Directory for the cache (default <repo>/.cache/models, or $HOTPATH_MODEL_CACHE). */
  cacheDir?: string;
}

/** The repository root: the nearest ancestor holding scripts/model/make_test_model.py. */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'model', 'make_test_model.py'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`scripts/model/make_test_model.py not found above ${from}`);
    dir = up;
  }
}

const pending = new Map<string, Promise<string>>();

/** Path of a generated test model (made on first use, then cached). */
export function ensureTestModel(options: TestModelOptions = {}): Promise<string> {
  const root = repoRoot();
  const shape = options.shape ?? 'tiny';
  const seed = options.seed ?? 0;
  const fim = options.fim ?? 'qwen';
  const script = join(root, 'scripts', 'model', 'make_test_model.py');
  const hash = createHash('sha256')
    .update(readFileSync(script))
    .update(readFileSync(join(root, 'scripts', 'model', 'gguf.py')))
    .digest('hex')
    .slice(0, 10);
  const dir = options.cacheDir ?? process.env.HOTPATH_MODEL_CACHE ?? join(root, '.cache', 'models');
  const file = join(dir, `${shape}-s${seed}-${fim}${options.dtype ? '-' + options.dtype : ''}-${hash}.gguf`);
  if (existsSync(file)) return Promise.resolve(file);
  let p = pending.get(file);
  if (!p) {
    p = new Promise<string>((resolvePromise, reject) => {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      const args = [script, '--out', tmp, '--shape', shape, '--seed', String(seed), '--fim', fim];
      if (options.dtype) args.push('--dtype', options.dtype);
      execFile(process.env.HOTPATH_PYTHON ?? 'python3', args, { maxBuffer: 1 << 20 }, (err, _out, stderr) => {
        if (err) {
          rmSync(tmp, { force: true });
          reject(new Error(`make_test_model.py failed: ${err.message}\n${stderr}`));
          return;
        }
        renameSync(tmp, file);
        resolvePromise(file);
      });
    }).finally(() => pending.delete(file));
    pending.set(file, p);
  }
  return p;
}
