// Fit a complexity class to measured points.
//
// Each class is a model y = a + b·f(n) with a ≥ 0 (fixed cost: call overhead, timer) and b ≥ 0,
// fitted by least squares on *relative* residuals (weights 1/y²: timing noise is multiplicative,
// and a plain fit would only care about the largest sizes). Classes are compared by
//   score = m·ln(RSS/m) + k·ln(m) + PENALTY·rank
// (BIC: k parameters, m points, plus a penalty per step up the class ladder), so a bigger class
// must explain the data clearly better to be chosen: with a raw smallest residual the bigger model
// always wins on noise. The confidence of the choice is its weight exp(-score/2) normalised over
// all classes. Right-censored points (sizes whose call ran past the limit) add a one-sided
// penalty when a model predicts less than the limit there.

import { ols, tQuantile975 } from './stats';
import { COMPLEXITY_CLASSES, type ComplexityClass, type FitResult, type ModelFit } from './types';

export interface FitPoint {
  n: number;
  /** Measured value (median); for a censored point, the lower bound (the limit). */
  y: number;
  censored?: boolean;
}

/** Score penalty per class step (in BIC units: a prior ratio of e^-1.5 per step). */
export const RANK_PENALTY = 3;
/** Floor of the mean squared relative residual: timings are never better than ~0.3%. */
const MIN_MSE = 1e-5;

/** log f(n) for each class (natural log); undefined for O(1). */
function logF(c: ComplexityClass, n: number): number {
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
      return m * Math.LN2;
  }
}

/** The model's f(n) relative to f(nRef) (keeps 2^n finite). */
function g(c: ComplexityClass, n: number, nRef: number): number {
  return Math.exp(logF(c, n) - logF(c, nRef));
}

interface RawFit {
  a: number;
  b: number;
  rss: number;
  k: number;
}

function fitClass(c: ComplexityClass, pts: FitPoint[], nRef: number): RawFit {
  const free = pts.filter((p) => !p.censored);
  const gs = free.map((p) => (c === 'O(1)' ? 0 : g(c, p.n, nRef)));
  let sw = 0, sg = 0, sgg = 0, sy = 0, sgy = 0;
  free.forEach((p, i) => {
    const w = 1 / (p.y * p.y);
    sw += w;
    sg += w * gs[i];
    sgg += w * gs[i] * gs[i];
    sy += w * p.y;
    sgy += w * gs[i] * p.y;
  });
  let a: number;
  let b: number;
  const constantOnly = () => {
    a = sy / sw;
    b = 0;
  };
  if (c === 'O(1)') constantOnly();
  else {
    const det = sw * sgg - sg * sg;
    a = det > 0 ? (sgg * sy - sg * sgy) / det : 0;
    b = det > 0 ? (sw * sgy - sg * sy) / det : 0;
    if (!(det > 0) || a < 0) {
      a = 0;
      b = sgg > 0 ? sgy / sgg : 0;
    }
    if (b <= 0) constantOnly();
  }
  let rss = 0;
  free.forEach((p, i) => {
    const pred = a! + b! * gs[i];
    rss += ((p.y - pred) / p.y) ** 2;
  });
  for (const p of pts) {
    if (!p.censored) continue;
    const pred = a! + (c === 'O(1)' ? 0 : b! * g(c, p.n, nRef));
    if (pred < p.y) rss += Math.log(p.y / Math.max(pred, 1e-300)) ** 2;
  }
  return { a: a!, b: b!, rss, k: c === 'O(1)' ? 1 : 2 };
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
  const nRef = Math.max(...pts.map((p) => p.n));
  const m = pts.length;
  const models: ModelFit[] = COMPLEXITY_CLASSES.map((c, rank) => {
    const f = fitClass(c, pts, nRef);
    const mse = Math.max(f.rss / m, MIN_MSE);
    const score = m * Math.log(mse) + f.k * Math.log(m) + RANK_PENALTY * rank;
    // R² on log scale over the uncensored points.
    const logs = free.map((p) => Math.log(p.y));
    const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
    let ssRes = 0;
    let ssTot = 0;
    free.forEach((p, i) => {
      const pred = f.a + (c === 'O(1)' ? 0 : f.b * g(c, p.n, nRef));
      ssRes += (logs[i] - Math.log(Math.max(pred, 1e-300))) ** 2;
      ssTot += (logs[i] - mean) ** 2;
    });
    const freeRss = free.reduce((s, p) => {
      const pred = f.a + (c === 'O(1)' ? 0 : f.b * g(c, p.n, nRef));
      return s + ((p.y - pred) / p.y) ** 2;
    }, 0);
    // The constant in natural units: y ≈ a + constant·f(n).
    const constant = c === 'O(1)' ? f.a : f.b / Math.exp(logF(c, nRef));
    return {
      complexity: c,
      constant,
      intercept: c === 'O(1)' ? 0 : f.a,
      rmsRelError: Math.sqrt(freeRss / free.length),
      r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
      score,
      weight: 0,
    };
  });
  const best = Math.min(...models.map((x) => x.score));
  const total = models.reduce((s, x) => s + Math.exp(-(x.score - best) / 2), 0);
  for (const x of models) x.weight = Math.exp(-(x.score - best) / 2) / total;
  models.sort((x, y) => x.score - y.score);
  const chosen = models[0];

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

  if (free.length < 4) notes.push(`only ${free.length} size(s) measured: the class is a rough guess`);
  const ns = free.map((p) => p.n);
  const span = Math.max(...ns) / Math.max(1, Math.min(...ns));
  if (span < 16 && chosen.complexity !== 'O(2^n)') notes.push(`sizes span only ${span.toFixed(1)}×: classes close to each other cannot be told apart`);
  if (chosen.rmsRelError > 0.25) notes.push(`noisy measurements (fit error ${(chosen.rmsRelError * 100).toFixed(0)}%)`);
  if (chosen.weight < 0.6) notes.push(`${models[1].complexity} is also plausible (weight ${(models[1].weight * 100).toFixed(0)}%)`);

  return {
    complexity: chosen.complexity,
    constant: chosen.constant,
    intercept: chosen.intercept,
    r2: chosen.r2,
    rmsRelError: chosen.rmsRelError,
    confidence: chosen.weight,
    exponent,
    exponentCi,
    models,
    notes,
  };
}

/** The fitted curve at n, for charts. */
export function predict(model: Pick<ModelFit, 'complexity' | 'constant' | 'intercept'>, n: number): number {
  if (model.complexity === 'O(1)') return model.constant;
  return model.intercept + model.constant * Math.exp(logF(model.complexity, n));
}
