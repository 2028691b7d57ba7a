// Statistics of repeated measurements: median, MAD, outliers, a distribution-free confidence
// interval of the median, and a bootstrap interval of a ratio of medians. Deterministic: the
// bootstrap uses a seeded generator.

/** The statistics of one set of repeated measurements (times in seconds per call, or counts per call). */
export interface Summary {
  median: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  /** 95% confidence interval of the median (distribution-free, from order statistics). */
  ciLow: number;
  ciHigh: number;
  /** Relative margin of error of the median: half the CI width over the median. */
  rme: number;
  samples: number;
  /** Samples flagged as outliers (modified Z-score on the MAD above 3.5, as hyperfine does). */
  outliers: number;
}

/** mulberry32: small, fast, seeded; enough for resampling and input generation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[], med = median(values)): number {
  return median(values.map((v) => Math.abs(v - med)));
}

/** Modified Z-scores (Iglewicz and Hoaglin), as hyperfine uses to flag outliers. */
export function modifiedZ(values: readonly number[]): number[] {
  const med = median(values);
  const d = mad(values, med);
  if (d === 0) return values.map((v) => (v === med ? 0 : Infinity));
  return values.map((v) => (0.6745 * (v - med)) / d);
}

/**
 * 95% confidence interval of the median from order statistics (binomial, normal approximation):
 * ranks n/2 ∓ 1.96·√n/2. Needs no distributional assumption; with very few samples it is the range.
 */
export function medianCi(values: readonly number[]): [number, number] {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return [NaN, NaN];
  const half = (1.96 * Math.sqrt(n)) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return [s[lo], s[Math.max(lo, hi)]];
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  const med = median(values);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  const [ciLow, ciHigh] = medianCi(values);
  const z = modifiedZ(values);
  return {
    median: med,
    mad: mad(values, med),
    mean,
    stddev: Math.sqrt(variance),
    min: Math.min(...values),
    max: Math.max(...values),
    ciLow,
    ciHigh,
    rme: med > 0 ? (ciHigh - ciLow) / 2 / med : 0,
    samples: n,
    outliers: z.filter((v) => Math.abs(v) > 3.5).length,
  };
}

/**
 * Ratio of medians a/b with a 95% percentile-bootstrap interval (both samples resampled
 * independently, seeded, 2000 resamples).
 */
export function ratioCi(a: readonly number[], b: readonly number[], seed = 1, resamples = 2000): { ratio: number; ciLow: number; ciHigh: number } {
  const { ratio, ciLow, ciHigh } = topSizesRatio([{ n: 0, a, b }], seed, resamples);
  return { ratio, ciLow, ciHigh };
}

/** Ordinary least squares y = a + b·x with the standard error of b. */
export function ols(x: readonly number[], y: readonly number[]): { a: number; b: number; seB: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - a - b * x[i]) ** 2;
  const seB = n > 2 && sxx > 0 ? Math.sqrt(rss / (n - 2) / sxx) : Infinity;
  return { a, b, seB };
}

/** Two-sided 97.5% quantile of Student's t (for small sample CIs), table + normal tail. */
export function tQuantile975(df: number): number {
  const table = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086];
  if (df < 1) return Infinity;
  if (df < table.length) return table[Math.floor(df)];
  return 1.96 + 2.4 / df;
}

/**
 * The headline speedup of a comparison: the median of the per-size ratios over the largest third
 * of the sizes (at least the largest three, or as many as there are), with a bootstrap interval that resamples every size's
 * samples. One size whose timing jumped (a resize, a collection) moves a median of several sizes
 * far less than it moves the largest size's ratio on its own.
 */
export function topSizesRatio(sizes: readonly { n: number; a: readonly number[]; b: readonly number[] }[], seed = 1, resamples = 2000): { ratio: number; ciLow: number; ciHigh: number; sizes: number[] } {
  const sorted = [...sizes].sort((x, y) => x.n - y.n);
  const top = sorted.slice(-Math.max(Math.min(3, sorted.length), Math.ceil(sorted.length / 3)));
  const ratio = median(top.map((s) => median(s.a) / median(s.b)));
  const r = rng(seed);
  const pick = (xs: readonly number[]) => {
    const out = new Array<number>(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[Math.floor(r() * xs.length)];
    return median(out);
  };
  if (top.every((s) => s.a.length < 2 || s.b.length < 2)) return { ratio, ciLow: ratio, ciHigh: ratio, sizes: top.map((s) => s.n) };
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) ratios.push(median(top.map((s) => pick(s.a) / pick(s.b))));
  ratios.sort((x, y) => x - y);
  return { ratio, ciLow: ratios[Math.floor(0.025 * resamples)], ciHigh: ratios[Math.ceil(0.975 * resamples) - 1], sizes: top.map((s) => s.n) };
}

/**
 * Sizes where the time per call fell as n grew beyond the noise (below 0.7× the size before, with
 * the two CIs apart): the function does less work at larger n than at smaller, or the measurement
 * of one of them is off. Said in the report; such a size is not trusted on its own.
 */
export function shrinkingTimes(points: readonly { n: number; median: number; ciLow: number; ciHigh: number; censored: boolean }[]): { from: number; to: number; before: number; after: number }[] {
  const ps = points.filter((p) => !p.censored && p.median > 0).sort((a, b) => a.n - b.n);
  const out: { from: number; to: number; before: number; after: number }[] = [];
  for (let i = 1; i < ps.length; i++) {
    const [a, b] = [ps[i - 1], ps[i]];
    if (b.median < 0.7 * a.median && b.ciHigh < a.ciLow) out.push({ from: a.n, to: b.n, before: a.median, after: b.median });
  }
  return out;
}
