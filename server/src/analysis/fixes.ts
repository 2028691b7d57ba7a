import type { Finding, Fix, Replacement } from './rule';

/** Apply non-overlapping replacements to a text (in any order given). */
export function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const sorted = [...replacements].sort((a, b) => b.startIndex - a.startIndex || b.endIndex - a.endIndex);
  let out = text;
  let limit = Infinity;
  for (const r of sorted) {
    if (r.endIndex > limit) continue; // overlaps one already applied: skip rather than corrupt
    out = out.slice(0, r.startIndex) + r.newText + out.slice(r.endIndex);
    limit = r.startIndex;
  }
  return out;
}

/** Ranges overlap, counting two insertions at the same place as overlapping (their order would matter). */
function overlaps(a: readonly Replacement[], b: readonly Replacement[]): boolean {
  return a.some((x) => b.some((y) => (x.startIndex < y.endIndex && y.startIndex < x.endIndex) || x.startIndex === y.startIndex));
}

/** What "Fix all" did to a text: the result, how many fixes it applied (in all and per rule), what remains. */
export interface FixAllResult {
  text: string;
  applied: number;
  rounds: number;
  /** Fixes applied per rule code. */
  byRule: Map<string, number>;
  /** The visible findings of the final text (what the fixes left). */
  remaining: Finding[];
}

/**
 * "Fix all", shared by the editor (`source.fixAll.hotpath`, features/codeActions.ts) and
 * `hotpath check --fix` (cli/fix.ts): the fixes of the visible findings whose rule is safe
 * (`isSafe`: marked safeFix), round after round until none is left (at most `maxRounds`). Each
 * round analyses the current text (`visibleOf`: the findings the user sees, selection and
 * suppressions applied), applies every fix that does not overlap one already taken in that round,
 * and the next round sees the result, so two fixes that both add the same import do not add it
 * twice. `adapt` rewrites each replacement before it is applied (the CLI: a file's own line ends).
 */
export function applySafeFixes(
  text: string,
  visibleOf: (text: string) => readonly Finding[],
  isSafe: (code: string) => boolean,
  opts: { adapt?: (r: Replacement) => Replacement; maxRounds?: number } = {},
): FixAllResult {
  const adapt = opts.adapt ?? ((r: Replacement) => r);
  const byRule = new Map<string, number>();
  let applied = 0;
  let rounds = 0;
  let remaining: Finding[] | undefined;
  for (; rounds < (opts.maxRounds ?? 10); rounds++) {
    const findings = visibleOf(text);
    remaining = [...findings];
    const taken: { code: string; fix: Fix }[] = [];
    for (const f of findings) {
      if (!f.fix?.replacements.length || !isSafe(f.code)) continue;
      const fix = { ...f.fix, replacements: f.fix.replacements.map(adapt) };
      if (!taken.some((t) => overlaps(t.fix.replacements, fix.replacements))) taken.push({ code: f.code, fix });
    }
    if (taken.length === 0) break;
    const next = applyReplacements(text, taken.flatMap((t) => t.fix.replacements));
    if (next === text) break;
    text = next;
    remaining = undefined;
    applied += taken.length;
    for (const t of taken) byRule.set(t.code, (byRule.get(t.code) ?? 0) + 1);
  }
  return { text, applied, rounds, byRule, remaining: remaining ?? [...visibleOf(text)] };
}

/** One replacement that turns `before` into `after` (their common prefix and suffix left alone). */
export function minimalReplacement(before: string, after: string): Replacement | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { startIndex: start, endIndex: before.length - end, newText: after.slice(start, after.length - end) };
}
