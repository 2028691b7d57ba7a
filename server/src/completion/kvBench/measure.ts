// Comparing a strategy's next-token predictions with full recomputation's, and the running sums
// kv-bench keeps per strategy (overall and per episode kind).
import { argmax, klDivergence } from '../../model/embedded/kv/distribution';
import type { Episode } from './editorTrace';
import type { Figures } from './types';

export interface Acc {
  n: number;
  agree: number;
  exact: number;
  /** Requests whose greedy tokens and every teacher-forced logit equal the reference's bit for bit. */
  identical: number;
  top1: number;
  top1n: number;
  kl: number;
  klMax: number;
  evaluated: number;
  background: number;
}

export const newAcc = (): Acc => ({ n: 0, agree: 0, exact: 0, identical: 0, top1: 0, top1n: 0, kl: 0, klMax: 0, evaluated: 0, background: 0 });

/** Figures against one reference, overall and by episode. */
export interface Against {
  all: Acc;
  episodes: Map<Episode, Acc>;
}

export interface Row extends Against {
  description: string;
  /** The same against full recomputation in the aligned layout (its own reference). */
  aligned: Against;
  /** Foreground over all requests (not only measured ones). */
  fgTokens: number;
  fgMs: number;
  fgCpu: number;
  fgN: number;
  bgTokens: number;
  bgMs: number;
  bgEstimated: boolean;
  reencodes: number;
  sampled: number;
}

export function newRow(description: string): Row {
  return { description, all: newAcc(), episodes: new Map(), aligned: { all: newAcc(), episodes: new Map() }, fgTokens: 0, fgMs: 0, fgCpu: 0, fgN: 0, bgTokens: 0, bgMs: 0, bgEstimated: false, reencodes: 0, sampled: 0 };
}

export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface Probe {
  greedy: number[];
  logits: Float32Array[];
}

/** cp: greedy tokens in common with the reference's n; misses: teacher-forced positions whose top-1 differs. */
export type Comparison = { agreement: number; exact: boolean; identical: boolean; top1: number | null; kl: number | null; klMax: number | null; cp: number; n: number; misses: number[] };

export function compare(ref: Probe, got: { greedy: number[]; logits?: Float32Array[] }, isEog: (t: number) => boolean): Comparison {
  let n = ref.greedy.length;
  const e = ref.greedy.findIndex(isEog);
  if (e >= 0) n = e + 1;
  let cp = 0;
  while (cp < n && cp < got.greedy.length && got.greedy[cp] === ref.greedy[cp]) cp++;
  const agreement = n === 0 ? 1 : cp / n;
  if (!got.logits) return { agreement, exact: cp >= n, identical: false, top1: null, kl: null, klMax: null, cp, n, misses: [] };
  const identical =
    got.greedy.length === ref.greedy.length && got.greedy.every((t, i) => t === ref.greedy[i]) && got.logits.length === ref.logits.length && got.logits.every((l, i) => sameBits(l, ref.logits[i]));
  const misses: number[] = [];
  let kl = 0;
  let klMax = 0;
  const m = Math.min(ref.logits.length, got.logits.length);
  for (let i = 0; i < m; i++) {
    if (argmax(ref.logits[i]) !== argmax(got.logits[i])) misses.push(i);
    const d = klDivergence(ref.logits[i], got.logits[i]);
    kl += d;
    klMax = Math.max(klMax, d);
  }
  return { agreement, exact: cp >= n, identical, top1: m ? (m - misses.length) / m : null, kl: m ? kl / m : null, klMax: m ? klMax : null, cp, n, misses };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

export function record(row: Against, episode: Episode, c: Comparison, evaluated: number, background: number): void {
  for (const a of [row.all, row.episodes.get(episode) ?? row.episodes.set(episode, newAcc()).get(episode)!]) {
    a.n++;
    a.agree += c.agreement;
    a.exact += c.exact ? 1 : 0;
    a.identical += c.identical ? 1 : 0;
    if (c.top1 !== null) {
      a.top1 += c.top1;
      a.kl += c.kl!;
      a.klMax = Math.max(a.klMax, c.klMax!);
      a.top1n++;
    }
    a.evaluated += evaluated;
    a.background += background;
  }
}

export function figures(a: Acc): Figures {
  return {
    requests: a.n,
    agreement: a.n ? a.agree / a.n : NaN,
    exact_match: a.n ? a.exact / a.n : NaN,
    identical: a.top1n ? a.identical / a.top1n : null,
    top1: a.top1n ? a.top1 / a.top1n : null,
    kl: a.top1n ? a.kl / a.top1n : null,
    kl_max: a.top1n ? a.klMax : null,
  };
}
