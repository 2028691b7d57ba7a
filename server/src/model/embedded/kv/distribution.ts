// Next-token distributions given as logits: KL divergence, log-softmax, argmax (refine and kv-bench).
/** Kullback-Leibler divergence KL(p || q) of two softmax distributions given as logits (nats). */
export function klDivergence(p: Float32Array, q: Float32Array): number {
  const lp = logSoftmax(p);
  const lq = logSoftmax(q);
  let kl = 0;
  for (let i = 0; i < lp.length; i++) {
    if (lp[i] === -Infinity) continue;
    kl += Math.exp(lp[i]) * (lp[i] - (lq[i] === -Infinity ? -1e30 : lq[i]));
  }
  return Math.max(0, kl);
}

export function logSoftmax(x: Float32Array): Float64Array {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  let z = 0;
  for (const v of x) if (v !== -Infinity) z += Math.exp(v - m);
  const lz = m + Math.log(z);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] === -Infinity ? -Infinity : x[i] - lz;
  return out;
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}
