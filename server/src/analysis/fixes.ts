import type { Replacement } from './rule';

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
