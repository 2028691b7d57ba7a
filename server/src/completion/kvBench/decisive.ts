// Agreement that kernel noise cannot break. On a small quantized model the reference's next-token
// choice is often a near tie (two tokens a few hundredths of a logit apart), and the same cells computed
// in other attention kernels (prefix reuse in llama.cpp's usual batches: exactly the right content)
// already flip such ties; greedy agreement over 16 tokens then measures the kernels, not the cache.
// So a position is *decisive* when the reference's top-1 leads its runner-up by more than tau = twice
// the largest logit difference the kernels alone caused at that request (the noise floor's max |logit
// difference| against the reference over all its teacher-forced positions): a perturbation that
// changes no logit by more than tau/2 cannot change the top-1 there. Where the floor's kernels are the
// reference's (noise 0, the usual case in the anchored layout) every position with a margin counts.
// Figures:
//   top1      top-1 agreement over the decisive teacher-forced positions only;
//   greedy    greedy agreement counted up to the reference's first near tie (its greedy tokens before
//             the first step whose margin is <= tau); a request whose very first step is a near tie
//             is undecided and left out.
// The noise floor reaches 1.0 on both by construction; a cache approximation reaches it only where it
// changes no decision the reference makes clearly.
import { FAR_EPISODES } from './editorTrace';

/** The reference's top-1 minus its runner-up (finite logits only; Infinity when fewer than two). */
export function margin(logits: Float32Array): number {
  let a = -Infinity;
  let b = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (!Number.isFinite(v)) continue;
    if (v > a) {
      b = a;
      a = v;
    } else if (v > b) b = v;
  }
  return Number.isFinite(b) ? a - b : Infinity;
}

/** The largest |a - b| over every finite logit of every position. */
export function maxLogitDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let m = 0;
  for (let p = 0; p < Math.min(a.length, b.length); p++) {
    const x = a[p];
    const y = b[p];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = Math.abs(x[i] - y[i]);
      if (Number.isFinite(d) && d > m) m = d;
    }
  }
  return m;
}

/** One request against the reference: its margins (teacher-forced `tf`, greedy steps `g`). */
export interface RequestMargins {
  tf: readonly number[];
  g: readonly number[];
}

/** A strategy at one request: greedy common prefix `cp` of the reference's `n` greedy tokens, and
 *  the teacher-forced positions whose top-1 differs from the reference's. */
export interface RequestOutcome {
  cp: number;
  n: number;
  misses: readonly number[];
}

export interface DecisiveFigures {
  requests: number;
  /** Requests whose first greedy step is decisive (the greedy figure averages over these). */
  decided: number;
  greedy: number | null;
  /** Decided requests with greedy agreement >= 0.95. */
  greedy_ge095: number;
  top1: number | null;
  /** Decisive teacher-forced positions counted. */
  positions: number;
}

/** Decisive greedy and top-1 agreement over requests, each at its margin threshold `tau`. */
export function decisiveFigures(requests: readonly { m: RequestMargins; o: RequestOutcome; tau: number }[]): DecisiveFigures {
  let decided = 0;
  let greedy = 0;
  let ge = 0;
  let positions = 0;
  let same = 0;
  for (const { m, o, tau } of requests) {
    let n = Math.min(o.n, m.g.length);
    const tie = m.g.slice(0, n).findIndex((x) => x <= tau);
    if (tie >= 0) n = tie;
    if (n > 0) {
      const a = Math.min(o.cp, n) / n;
      decided++;
      greedy += a;
      if (a >= 0.95) ge++;
    }
    const missed = new Set(o.misses);
    m.tf.forEach((x, i) => {
      if (x <= tau) return;
      positions++;
      if (!missed.has(i)) same++;
    });
  }
  return { requests: requests.length, decided, greedy: decided ? greedy / decided : null, greedy_ge095: ge, top1: positions ? same / positions : null, positions };
}

/** What kv-bench keeps per request for these figures (KvBenchResult.trace lines). */
export interface DecisiveLine {
  episode: string;
  tokens: number;
  fg: Record<string, number>;
  /** Against the aligned reference: [agreement, top1, kl, identical]. */
  a: Record<string, [number, number | null, number | null, number]>;
  /** The aligned reference's margins and the noise floor's largest logit difference from it. */
  d?: { noise: number; tf: number[]; g: number[] };
  /** Per strategy against the aligned reference: [cp, n, ...misses]. */
  x?: Record<string, number[]>;
  /** Whether the pause after this request repaired, and the tokens each strategy's repair recomputed
   *  there (kv-bench since round 10; absent in older runs). */
  repairs?: boolean;
  bg?: Record<string, number>;
}

export interface StrategyFar {
  requests: number;
  evaluated_tokens: number;
  /** Over the far edits repaired in the pause right after them (kv-bench records bg since round 10;
   *  null when none is recorded): mean background (repair) tokens, and their foreground plus
   *  background over prefix reuse's foreground at the same edits, with how many edits that is. */
  background_tokens: number | null;
  total_vs_prefix: number | null;
  repaired_requests: number;
  /** The figures against the aligned reference: greedy over 16 tokens (mean, and requests >= 0.95), top-1 over 64 positions, mean KL. */
  greedy: number;
  greedy_ge095: number;
  top1: number | null;
  kl: number | null;
  decisive: DecisiveFigures;
}

export interface DecisiveReport {
  /** The noise floor (prefix reuse in llama.cpp's usual batches) against the aligned reference: largest |logit difference| in the run. */
  noise: number;
  /** Requests where it was above 0 (the others take every position with a margin). */
  noisy_requests: number;
  /** Each request's tau is twice its own noise; this is the largest. */
  tau: number;
  /** Decisive figures per strategy over every request measured. */
  all: Record<string, DecisiveFigures>;
  /** Far edits: a far-edit request where prefix reuse recomputed >= 25% of the prompt (the edits the editor shifts). */
  far: { requests: number; stale_share: { min: number; max: number }; strategies: Record<string, StrategyFar> };
}

const FAR_SHARE = 0.25;

export const isFarEdit = (l: DecisiveLine) => (FAR_EPISODES as readonly string[]).includes(l.episode) && (l.fg.prefix ?? 0) >= FAR_SHARE * l.tokens;

/** A strategy's foreground plus repair against prefix reuse, over far edits repaired right after them. */
function farTotals(ls: readonly DecisiveLine[], name: string): Pick<StrategyFar, 'background_tokens' | 'total_vs_prefix' | 'repaired_requests'> {
  const base = name.replace(/_repaired$/, '');
  const rs = ls.filter((l) => l.repairs && l.bg && (l.bg[name] ?? l.bg[base]) !== undefined);
  if (rs.length === 0) return { background_tokens: null, total_vs_prefix: null, repaired_requests: 0 };
  const bg = rs.reduce((s, l) => s + (l.bg![name] ?? l.bg![base]), 0);
  const fg = rs.reduce((s, l) => s + (l.fg[name] ?? l.fg[base] ?? 0), 0);
  const prefix = rs.reduce((s, l) => s + (l.fg.prefix ?? 0), 0);
  return { background_tokens: bg / rs.length, total_vs_prefix: prefix > 0 ? (fg + bg) / prefix : null, repaired_requests: rs.length };
}

/** The decisive figures of a kv-bench run from its trace (undefined when no request kept margins). */
export function decisiveReport(lines: readonly DecisiveLine[]): DecisiveReport | undefined {
  const kept = lines.filter((l) => l.d && l.x);
  if (kept.length === 0) return undefined;
  const noise = Math.max(...kept.map((l) => l.d!.noise));
  const names = [...new Set(kept.flatMap((l) => Object.keys(l.x!)))];
  const of = (ls: readonly DecisiveLine[], name: string) =>
    ls.filter((l) => l.x![name]).map((l) => {
      const [cp, n, ...misses] = l.x![name];
      return { m: l.d!, o: { cp, n, misses }, tau: 2 * l.d!.noise };
    });
  const all = Object.fromEntries(names.map((name) => [name, decisiveFigures(of(kept, name))]));
  const far = kept.filter(isFarEdit);
  const strategies: Record<string, StrategyFar> = {};
  for (const name of names) {
    const ls = far.filter((l) => l.x![name] && l.a[name]);
    if (ls.length === 0) continue;
    const mean = (f: (l: DecisiveLine) => number) => ls.reduce((s, l) => s + f(l), 0) / ls.length;
    const withLogits = ls.filter((l) => l.a[name][1] !== null);
    strategies[name] = {
      requests: ls.length,
      evaluated_tokens: mean((l) => l.fg[name] ?? l.fg[name.replace(/_repaired$/, '')] ?? 0),
      ...farTotals(ls, name),
      greedy: mean((l) => l.a[name][0]),
      greedy_ge095: ls.filter((l) => l.a[name][0] >= 0.95).length,
      top1: withLogits.length ? withLogits.reduce((s, l) => s + l.a[name][1]!, 0) / withLogits.length : null,
      kl: withLogits.length ? withLogits.reduce((s, l) => s + l.a[name][2]!, 0) / withLogits.length : null,
      decisive: decisiveFigures(of(ls, name)),
    };
  }
  const shares = far.map((l) => l.fg.prefix / l.tokens);
  return { noise, noisy_requests: kept.filter((l) => l.d!.noise > 0).length, tau: 2 * noise, all, far: { requests: far.length, stale_share: { min: shares.length ? Math.min(...shares) : 0, max: shares.length ? Math.max(...shares) : 0 }, strategies } };
}
