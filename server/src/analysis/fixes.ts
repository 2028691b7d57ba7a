import type { Fix, Replacement } from './rule';

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

/**
 * Apply fixes round after round until none is left (at most `maxRounds`): each round analyses the
 * current text (`fixesOf`), applies every fix that does not overlap one already taken in that round,
 * and the next round sees the result, so two fixes that both add the same import do not add it twice.
 */
export function applyFixesIteratively(text: string, fixesOf: (text: string) => Fix[], maxRounds = 10): { text: string; applied: number; rounds: number } {
  let applied = 0;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const taken: Fix[] = [];
    for (const fix of fixesOf(text)) if (fix.replacements.length && !taken.some((t) => overlaps(t.replacements, fix.replacements))) taken.push(fix);
    if (taken.length === 0) break;
    const next = applyReplacements(text, taken.flatMap((f) => f.replacements));
    if (next === text) break;
    text = next;
    applied += taken.length;
  }
  return { text, applied, rounds };
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
