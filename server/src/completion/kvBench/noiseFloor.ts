// Each far edit's figures beside the noise floor's at the same edit (round 12). Round 6 argued that
// the target (16 greedy tokens agreeing >= 0.95 before repair) lies below the noise floor on
// SmolLM2-135M: the same cells computed in other batches (prefix reuse in llama.cpp's usual batches)
// already miss it. That is testable edit by edit: at each far edit, a strategy is *within the floor*
// when its greedy agreement with the reference is at least the floor's there. A strategy within the
// floor at every far edit meets the target in substance (it misses 0.95 only where exact content in
// other kernels misses it too); otherwise its shortfall is how far below the floor it falls.
import { isFarEdit, type DecisiveLine } from './decisive';

/** The noise floor's row in kv-bench's trace: prefix reuse in llama.cpp's usual batches, against the
 *  aligned reference (exactly the edited text's cells; only the batches, so the kernels, differ). */
export const FLOOR = 'prefix';

/** greedy agreement over the generated tokens, top-1 over the teacher-forced positions, mean KL. */
export type EditFigures = { greedy: number; top1: number | null; kl: number | null };

export interface FloorEdit {
  /** The trace line's file and request index. */
  file: number;
  i: number;
  tokens: number;
  /** The floor's largest |logit difference| from the reference at this request (0: bit for bit). */
  noise: number | null;
  floor: EditFigures;
  strategies: Record<string, EditFigures & { within: boolean }>;
}

export interface FloorSummary {
  edits: number;
  /** Far edits where its greedy agreement is at least the floor's. */
  within: number;
  /** Far edits where its greedy agreement is >= 0.95 (the figure), and the floor's. */
  ge095: number;
  floor_ge095: number;
  /** Mean and largest of max(0, floor's greedy - its greedy) over the far edits. */
  shortfall: number;
  worst: number;
}

export interface FloorReport {
  edits: FloorEdit[];
  strategies: Record<string, FloorSummary>;
}

const figures = (a: DecisiveLine['a'][string]): EditFigures => ({ greedy: a[0], top1: a[1], kl: a[2] });

/** Every far edit (decisive.ts isFarEdit) that has the floor's figures, each strategy beside it
 *  (all rows against the aligned reference but the floor itself and the references). */
export function floorReport(lines: readonly DecisiveLine[], names?: readonly string[]): FloorReport {
  const far = lines.filter((l) => isFarEdit(l) && l.a[FLOOR]);
  const skip = new Set([FLOOR, 'full', 'full_aligned', 'prefix_aligned']);
  const all = names ?? [...new Set(far.flatMap((l) => Object.keys(l.a)))].filter((n) => !skip.has(n));
  const edits: FloorEdit[] = far.map((l, k) => {
    const floor = figures(l.a[FLOOR]);
    const strategies: FloorEdit['strategies'] = {};
    for (const n of all) {
      if (!l.a[n]) continue;
      const s = figures(l.a[n]);
      strategies[n] = { ...s, within: s.greedy >= floor.greedy - 1e-9 };
    }
    const at = l as DecisiveLine & { file?: number; i?: number };
    return { file: at.file ?? 0, i: at.i ?? k, tokens: l.tokens, noise: l.d?.noise ?? null, floor, strategies };
  });
  const strategies: Record<string, FloorSummary> = {};
  for (const n of all) {
    const at = edits.filter((e) => e.strategies[n]);
    if (at.length === 0) continue;
    const short = at.map((e) => Math.max(0, e.floor.greedy - e.strategies[n].greedy));
    strategies[n] = {
      edits: at.length,
      within: at.filter((e) => e.strategies[n].within).length,
      ge095: at.filter((e) => e.strategies[n].greedy >= 0.95).length,
      floor_ge095: at.filter((e) => e.floor.greedy >= 0.95).length,
      shortfall: short.reduce((s, x) => s + x, 0) / at.length,
      worst: Math.max(...short),
    };
  }
  return { edits, strategies };
}
