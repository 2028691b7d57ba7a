// Fit a complexity class to measured points.
//
// Each class is a model y = a + b·f(n) with a ≥ 0 (fixed cost: call overhead, timer) and b > 0,
// fitted by least squares on *log* residuals (timing noise is multiplicative, and a plain fit
// would only care about the largest sizes); the exponential class also fits its base c in c^n.
// The classes above O(n) are also tried with a linear lower-order term, y = a + l·n + b·f(n)
// (one parameter more, kept only when BIC says it pays): real code that is O(n²) at heart often
// copies or scans its input first, so a linear cost dominates the small sizes and the quadratic
// one the large (a list drained with pop(0): ~30 ns per element up to n≈256, n^1.95 at n≈64k).
// Without that term no class fits both ends, the weights spread, and a smaller class could be
// reported against the evidence of the largest sizes.
// Classes are compared by
//   score = m·ln(RSS/m) + k·ln(m) + PENALTY·rank
// (BIC: k parameters, m points, plus a penalty per step up the class ladder), so a bigger class
// must explain the data clearly better to be chosen: with a raw smallest residual the bigger model
// always wins on noise. The confidence of the choice is its weight exp(-score/2) normalised over
// all classes. Right-censored points (sizes whose call ran past the limit) add a one-sided
// penalty when a model predicts less than the limit there.

import { median, ols, tQuantile975 } from './stats';
import { COMPLEXITY_CLASSES, type ComplexityClass, type FitResult, type ModelFit } from './types';

export interface FitPoint {
  n: number;
  /** Measured value (median); for a censored point, the lower bound (the limit). */
  y: number;
  censored?: boolean;
}

/** Score penalty per class step (in BIC units: a prior ratio of e^-1.5 per step). */
export const RANK_PENALTY = 3;
/**
 * How far (log ratio, ~16%) the largest sizes and the two below them may lie from a bigger class's
 * curve and still count as its growth going on rather than a step: a curve bent to meet a step
 * misses a size next to it by more (dict.fromkeys' resize step of ×1.6–2.2 per element: 0.3–0.5).
 */
const STEP_TOLERANCE = 0.15;
/** Floor of the mean squared log residual: timings are never better than ~0.3%. */
const MIN_MSE = 1e-5;

/** log f(n) for each class (natural log); undefined for O(1). */
function logF(c: ComplexityClass, n: number, base = 2): number {
  const m = Math.max(n, 1);
  switch (c) {
    case 'O(1)':
      return 0;
    case 'O(log n)':
      return Math.log(Math.log2(m + 1));
    case 'O(n)':
      return Math.log(m);
    case 'O(n log n)':
      return Math.log(m) + Math.log(Math.log2(m + 1));
    case 'O(n^2)':
      return 2 * Math.log(m);
    case 'O(n^3)':
      return 3 * Math.log(m);
    case 'O(2^n)':
      return m * Math.log(base);
  }
}

/** The model's f(n) relative to f(nRef) (keeps 2^n finite). */
function g(c: ComplexityClass, n: number, nRef: number, base = 2): number {
  return Math.exp(logF(c, n, base) - logF(c, nRef, base));
}

/** Bases tried for the exponential class (O(2^n) stands for any c^n, c > 1: fib is ~1.618^n). */
const BASES = Array.from({ length: 61 }, (_, i) => Math.exp(Math.log(1.1) + (i / 60) * (Math.log(8) - Math.log(1.1))));

interface RawFit {
  a: number;
  b: number;
  /** The linear lower-order term's coefficient l in y = a + l·n + b·f(n) (0 when not fitted). */
  l: number;
  rss: number;
  k: number;
  base: number;
}

/** Classes tried with a linear lower-order term as well (see the header). */
const WITH_LINEAR: readonly ComplexityClass[] = ['O(n^2)', 'O(n^3)'];

/** The class's fit; `score` ranks the variants (with and without the linear term) the way scoreModels ranks classes. */
function fitClass(c: ComplexityClass, pts: FitPoint[], nRef: number, score: (f: RawFit) => number): RawFit {
  if (c === 'O(2^n)') {
    let best: RawFit | undefined;
    for (const base of BASES) {
      const f = fitClassWithBase(c, pts, nRef, base, false);
      if (!best || f.rss < best.rss) best = f;
    }
    return { ...best!, k: 3 };
  }
  const pure = fitClassWithBase(c, pts, nRef, 2, false);
  if (!WITH_LINEAR.includes(c)) return pure;
  const mixed = fitClassWithBase(c, pts, nRef, 2, true);
  return Number.isFinite(mixed.rss) && score(mixed) < score(pure) ? mixed : pure;
}

/** Sizes on which a class's growth term must matter (see fitClassWithBase). */
const MIN_SUPPORT = 3;

/** Ratios intercept/slope tried (the fixed cost relative to the cost at the largest size). */
const ALPHAS = [0, ...Array.from({ length: 73 }, (_, i) => Math.pow(10, -6 + i / 8))];
/** Ratios of the linear term to the class's term at the largest size tried (with `linear`). */
const LAMBDAS = Array.from({ length: 29 }, (_, i) => Math.pow(10, -5 + i / 4));

/**
 * Fit y = b·(g(n) + α + λ·n/nRef) in log space (λ = 0 unless `linear`): for each α (and λ) on a
 * grid, ln b is the mean log residual (closed form); keep the pair with the least squared log
 * error. Log residuals are symmetric in over- and under-prediction and match multiplicative
 * timing noise.
 */
function fitClassWithBase(c: ComplexityClass, pts: FitPoint[], nRef: number, base: number, linear: boolean): RawFit {
  const free = pts.filter((p) => !p.censored);
  const cens = pts.filter((p) => p.censored);
  const ly = free.map((p) => Math.log(p.y));
  const gs = free.map((p) => (c === 'O(1)' ? 0 : g(c, p.n, nRef, base)));
  const gc = cens.map((p) => (c === 'O(1)' ? 0 : g(c, p.n, nRef, base)));
  const hs = free.map((p) => p.n / nRef);
  const hc = cens.map((p) => p.n / nRef);
  const k = c === 'O(1)' ? 1 : linear ? 3 : 2;
  let best: RawFit = { a: 0, b: 0, l: 0, rss: Infinity, k, base };
  let bestAlpha = 0;
  let bestLambda = 0;
  const tryAlpha = (alpha: number, lambda = 0) => {
    let sum = 0;
    let ok = true;
    const lg = gs.map((x, i) => {
      const v = x + alpha + lambda * hs[i];
      if (!(v > 0)) ok = false;
      return Math.log(v);
    });
    if (!ok) return;
    for (let i = 0; i < ly.length; i++) sum += ly[i] - lg[i];
    const lb = sum / ly.length;
    let rss = 0;
    for (let i = 0; i < ly.length; i++) rss += (ly[i] - lb - lg[i]) ** 2;
    // Right-censored sizes: a one-sided penalty when the model predicts less than the bound.
    cens.forEach((p, i) => {
      const lpred = lb + Math.log(gc[i] + alpha + lambda * hc[i]);
      const lbound = Math.log(p.y);
      if (lpred < lbound) rss += (lbound - lpred) ** 2;
    });
    // Practical significance: the growth term must carry at least a quarter of the prediction on
    // MIN_SUPPORT sizes; otherwise the class only bends the curve to fit noise or one outlier (an
    // exponential with a huge base can put a spike on the last size alone).
    if (c !== 'O(1)') {
      let support = 0;
      // (With a linear term, the class's own term against everything else: the linear term must
      // not carry the class.)
      gs.forEach((x, i) => {
        if (x >= (x + alpha + lambda * hs[i]) * 0.25) support++;
      });
      if (support < Math.min(MIN_SUPPORT, gs.length)) return;
      // …and a third of it at the largest size: a curve that rises by less than 1.5× over the
      // whole range is constant for any practical purpose (a cache step, not a growth rate).
      const top = gs.indexOf(Math.max(...gs));
      if (gs[top] < (gs[top] + alpha + lambda * hs[top]) / 3) return;
    }
    if (rss < best.rss) {
      const b = Math.exp(lb);
      best = c === 'O(1)' ? { a: b, b: 0, l: 0, rss, k, base } : { a: b * alpha, b, l: (b * lambda) / nRef, rss, k, base };
      bestAlpha = alpha;
      bestLambda = lambda;
    }
  };
  if (c === 'O(1)') tryAlpha(1);
  else {
    for (const lambda of linear ? LAMBDAS : [0]) for (const alpha of ALPHAS) tryAlpha(alpha, lambda);
    // Refine around the best grid values (α, then λ, twice: they trade against each other).
    for (let pass = 0; pass < (linear ? 2 : 1); pass++) {
      const [alpha0, lambda0] = [bestAlpha, bestLambda];
      if (alpha0 > 0) for (let i = -8; i <= 8; i++) tryAlpha(alpha0 * Math.pow(10, i / 64), lambda0);
      const alpha1 = bestAlpha;
      if (lambda0 > 0) for (let i = -8; i <= 8; i++) tryAlpha(alpha1, lambda0 * Math.pow(10, i / 32));
    }
  }
  return best;
}

/** Every class fitted to the points and scored, best first, with posterior-like weights. */
function scoreModels(pts: FitPoint[], free: FitPoint[]): ModelFit[] {
  const nRef = Math.max(...pts.map((p) => p.n));
  const m = pts.length;
  const bic = (f: RawFit) => m * Math.log(Math.max(f.rss / m, MIN_MSE)) + f.k * Math.log(m);
  const models: ModelFit[] = COMPLEXITY_CLASSES.map((c, rank) => {
    const f = fitClass(c, pts, nRef, bic);
    const score = bic(f) + RANK_PENALTY * rank;
    // R² on log scale over the uncensored points.
    const logs = free.map((p) => Math.log(p.y));
    const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
    let ssRes = 0;
    let ssTot = 0;
    free.forEach((p, i) => {
      const pred = f.a + f.l * p.n + (c === 'O(1)' ? 0 : f.b * g(c, p.n, nRef, f.base));
      ssRes += (logs[i] - Math.log(Math.max(pred, 1e-300))) ** 2;
      ssTot += (logs[i] - mean) ** 2;
    });
    const freeRss = free.reduce((s, p) => {
      const pred = f.a + f.l * p.n + (c === 'O(1)' ? 0 : f.b * g(c, p.n, nRef, f.base));
      return s + ((p.y - pred) / p.y) ** 2;
    }, 0);
    // The constant in natural units: y ≈ a + constant·f(n).
    const constant = c === 'O(1)' ? f.a : f.b / Math.exp(logF(c, nRef, f.base));
    return {
      complexity: c,
      ...(c === 'O(2^n)' ? { base: f.base } : {}),
      constant,
      intercept: c === 'O(1)' ? 0 : f.a,
      ...(f.l > 0 ? { linear: f.l } : {}),
      rmsRelError: Math.sqrt(freeRss / free.length),
      r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
      score,
      weight: 0,
    };
  });
  const best = Math.min(...models.map((x) => x.score));
  const total = models.reduce((s, x) => s + Math.exp(-(x.score - best) / 2), 0);
  for (const x of models) x.weight = Math.exp(-(x.score - best) / 2) / total;
  return models.sort((x, y) => x.score - y.score);
}

/** The stability decision over two sweeps at the same sizes: the class fitted to the second sweep's
 *  uncensored points against the class fitted to the first's uncensored points at the sizes the
 *  second measured. */
export function stabilityVerdict(first: readonly FitPoint[], second: readonly FitPoint[]): { reference: ComplexityClass; complexity: ComplexityClass; stable: boolean } {
  const points = second.filter((p) => !p.censored);
  const measured = new Set(points.map((p) => p.n));
  const reference = fitComplexity(first.filter((p) => !p.censored && measured.has(p.n))).complexity;
  const complexity = fitComplexity(points).complexity;
  return { reference, complexity, stable: complexity === reference };
}

export function fitComplexity(points: readonly FitPoint[]): FitResult {
  const pts = points.filter((p) => Number.isFinite(p.y) && p.y > 0 && p.n >= 0);
  const free = pts.filter((p) => !p.censored);
  const notes: string[] = [];
  if (free.length === 0) {
    return {
      complexity: 'O(1)', constant: NaN, intercept: NaN, r2: NaN, rmsRelError: NaN, confidence: 0,
      exponent: NaN, exponentCi: [NaN, NaN], models: [], notes: ['no size finished within the limits'],
    };
  }
  const models = scoreModels(pts, free);
  let chosen = models[0];
  // A bigger class must not rest on the largest one or two sizes alone (a 4× span at the sweep's
  // ×2 steps): without them, a smaller class winning means a step (a cache level, a hash table's
  // resize: dict.fromkeys' cost per element jumps ~60% just past a resize at n≈4000, and stays up
  // for a doubling or two) was read as a growth rate. The smaller class is kept; a real larger term
  // starting there shows in the slope check below ("the largest sizes grow faster"). Its
  // confidence is its weight in the fit without those sizes, at most 50% (the sizes left out
  // disagree): its weight with them is the bigger class's loss, not evidence for it.
  const byDescendingN = [...free].sort((a, b) => b.n - a.n);
  let weight = chosen.weight;
  let overruled: ModelFit | undefined;
  for (const k of [1, 2]) {
    const dropped = new Set(byDescendingN.slice(0, k));
    const top = byDescendingN[0];
    if (free.length - k < 6 || pts.some((p) => p.censored && p.n > top.n)) break;
    const without = scoreModels(pts.filter((p) => !dropped.has(p)), free.filter((p) => !dropped.has(p)));
    // Growth, not a step, when the bigger class's curve runs through those sizes and the two below
    // them (the trend shows below them and goes on: a pop(0) drain's slope rising towards 2); a
    // step bends the curve, which then misses the sizes just below it.
    const near = byDescendingN.slice(0, k + 2);
    const continues = near.every((p) => Math.abs(Math.log(p.y / predict(chosen, p.n))) <= STEP_TOLERANCE);
    if (!continues && COMPLEXITY_CLASSES.indexOf(without[0].complexity) < COMPLEXITY_CLASSES.indexOf(chosen.complexity)) {
      notes.push(`the largest ${k === 1 ? 'size' : `${k} sizes`} alone suggest${k === 1 ? 's' : ''} ${chosen.complexity} (weight ${pct(chosen.weight)} with ${k === 1 ? 'it' : 'them'}, ${without[0].complexity} ${pct(without[0].weight)} without): a step at the top is not counted as growth`);
      overruled = chosen;
      chosen = models.find((x) => x.complexity === without[0].complexity)!;
      weight = Math.min(without[0].weight, 0.5);
      break;
    }
  }

  // Measured exponent: log–log slope over the larger half of the uncensored sizes.
  const sorted = [...free].sort((a, b) => a.n - b.n).filter((p) => p.n > 0);
  const tail = sorted.slice(Math.max(0, Math.min(sorted.length - 3, Math.floor(sorted.length / 2))));
  let exponent = NaN;
  let exponentCi: [number, number] = [NaN, NaN];
  if (tail.length >= 2) {
    const { b, seB } = ols(tail.map((p) => Math.log(p.n)), tail.map((p) => Math.log(p.y)));
    exponent = b;
    const t = tQuantile975(tail.length - 2);
    exponentCi = Number.isFinite(seB) ? [b - t * seB, b + t * seB] : [NaN, NaN];
  }

  // The largest sizes curving away from the chosen class: over the larger half of the sizes the
  // measured log–log slope (with its CI) and the class's own slope there (its fitted curve) differ
  // by more than 0.25 and the CI excludes the class's. A larger term starting to show, or a
  // smaller class taking over: the confidence is halved and the report says so; when the next
  // class in that direction is off the other way, no single class fits.
  let confidence = weight;
  const slopeOf = (model: ModelFit): number => {
    const [lo, hi] = [tail[0].n, tail[tail.length - 1].n];
    return Math.log(predict(model, hi) / predict(model, lo)) / Math.log(hi / lo);
  };
  const away = (model: ModelFit): number => {
    if (tail.length < 4 || !Number.isFinite(exponentCi[0])) return 0;
    const s = slopeOf(model);
    if (!Number.isFinite(s) || Math.abs(exponent - s) <= 0.25) return 0;
    return s < exponentCi[0] ? 1 : s > exponentCi[1] ? -1 : 0;
  };
  const t = away(chosen);
  if (t !== 0) {
    confidence = weight / 2;
    const rank = COMPLEXITY_CLASSES.indexOf(chosen.complexity);
    const next = models.find((x) => x.complexity === COMPLEXITY_CLASSES[rank + t]);
    const shown = `measured slope ${exponent.toFixed(2)} over n=${tail[0].n}…${tail[tail.length - 1].n}, ${chosen.complexity}'s ${slopeOf(chosen).toFixed(2)}`;
    if (next && next.complexity !== 'O(2^n)' && away(next) === -t) {
      confidence = Math.min(confidence, 0.2);
      notes.push(`no single class fits: the largest sizes grow ${t > 0 ? 'faster' : 'slower'} than ${chosen.complexity} and ${t > 0 ? 'slower' : 'faster'} than ${next.complexity} (${shown}); confidence lowered`);
    } else {
      notes.push(`the largest sizes grow ${t > 0 ? 'faster' : 'slower'} than the ${chosen.complexity} fit (${shown}): ${t > 0 ? 'a larger term may be starting to show' : 'a smaller class may describe the largest sizes'}; confidence halved`);
    }
  }
  // A time that barely grows over a wide span of sizes is reported as such, not read as a class.
  const byN = sorted.filter((p) => p.n > 0);
  const ys = byN.map((p) => p.y);
  const growth = ys.length >= 4 ? median(ys.slice(-2)) / median(ys.slice(0, 2)) : NaN;
  const spanAll = byN.length ? byN[byN.length - 1].n / Math.max(1, byN[0].n) : 0;
  if (growth < 1.5 && spanAll >= 64) notes.push(`the time barely grows (×${growth.toFixed(2)} from n=${byN[0].n} to n=${byN[byN.length - 1].n}): constant time, a memoised or cached result, or fixed costs that hide the work`);

  if (free.length < 4) notes.push(`only ${free.length} size(s) measured: the class is a rough guess`);
  const ns = free.map((p) => p.n);
  const span = Math.max(...ns) / Math.max(1, Math.min(...ns));
  if (span < 16 && chosen.complexity !== 'O(2^n)') notes.push(`sizes span only ${span.toFixed(1)}×: classes close to each other cannot be told apart`);
  if (chosen.rmsRelError > 0.25) notes.push(`the points deviate from the fitted curve by ${(chosen.rmsRelError * 100).toFixed(0)}% (rms): noise, or cache and memory effects at large sizes`);
  const runnerUp = models.find((x) => x !== chosen)!;
  if (weight < 0.6 && runnerUp !== overruled) notes.push(`${runnerUp.complexity} is also plausible (weight ${(runnerUp.weight * 100).toFixed(0)}%)`);

  return {
    complexity: chosen.complexity,
    constant: chosen.constant,
    intercept: chosen.intercept,
    ...(chosen.linear ? { linear: chosen.linear } : {}),
    r2: chosen.r2,
    rmsRelError: chosen.rmsRelError,
    confidence,
    exponent,
    exponentCi,
    ...(chosen.base ? { base: chosen.base } : {}),
    models,
    notes,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

/** The fitted curve at n, for charts. */
export function predict(model: Pick<ModelFit, 'complexity' | 'constant' | 'intercept' | 'base' | 'linear'>, n: number): number {
  if (model.complexity === 'O(1)') return model.constant;
  return model.intercept + (model.linear ?? 0) * n + model.constant * Math.exp(logF(model.complexity, n, model.base ?? 2));
}
