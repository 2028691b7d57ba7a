// The files kv-bench edits: held-out source files (or given paths), one per target size in the
// model's tokens.
import { readFileSync, statSync } from 'node:fs';
import { collectFiles } from '../../analysis/files';
import { loadModel, modelTokenizer } from '../../model/embedded/kv/llamaTesting';
import type { BenchFile } from './types';

/**
 * Source files the model has not seen, one per target size in its tokens (the closest; ties by
 * name): the held-out packages of `hotpath eval completions` (completion/heldOut.ts: projects first
 * released in 2025, after SmolLM2's and Gemma 3's training data; fetched with pip/npm, sha256 checked).
 */
export async function heldOutBenchFiles(modelPath: string, sizes: readonly number[], log: (l: string) => void = () => undefined): Promise<BenchFile[]> {
  const { HELD_OUT, fetchHeldOut, heldOutFiles } = await import('../heldOut');
  const model = await loadModel(modelPath);
  try {
    const tok = modelTokenizer(model);
    const all: BenchFile[] = [];
    for (const p of HELD_OUT) {
      const dir = await fetchHeldOut(p);
      for (const f of heldOutFiles(p, dir)) all.push({ label: `${p.name} ${p.version} ${f.path}`, text: f.text, tokens: tok.tokenize(f.text).length });
    }
    log(`held-out corpus: ${all.length} files from ${HELD_OUT.map((p) => `${p.name} ${p.version}`).join(', ')}`);
    return closestPerSize(all, sizes);
  } finally {
    await model.dispose();
  }
}

/** Files of the given paths (files or directories, .py/.js/.ts, under 400 KB), one per target size (for --sources). */
export async function sourceBenchFiles(modelPath: string, paths: readonly string[], sizes: readonly number[]): Promise<BenchFile[]> {
  const isSource = (name: string) => /\.(py|js|mjs|ts)$/.test(name) && !name.endsWith('.d.ts');
  // the paths' own ignore files only: a package inside node_modules is material, not an ignored build folder
  const found = collectFiles([...paths], isSource, [], false).filter((p) => statSync(p).size < 400_000);
  const model = await loadModel(modelPath);
  try {
    const tok = modelTokenizer(model);
    return closestPerSize(
      found.map((p) => {
        const text = readFileSync(p, 'utf8');
        return { label: p, text, tokens: tok.tokenize(text).length };
      }),
      sizes,
    );
  } finally {
    await model.dispose();
  }
}

/** For each size, the file closest to it in tokens (ties by label), each file at most once. */
function closestPerSize(all: readonly BenchFile[], sizes: readonly number[]): BenchFile[] {
  const chosen: BenchFile[] = [];
  for (const size of sizes) {
    const best = all.filter((f) => !chosen.includes(f)).sort((a, b) => Math.abs(a.tokens - size) - Math.abs(b.tokens - size) || (a.label < b.label ? -1 : 1))[0];
    if (best) chosen.push(best);
  }
  return chosen;
}
