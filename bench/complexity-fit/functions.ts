// TypeScript functions of known complexity for bench/complexity-fit.bench.ts (types from annotations).

export function wordLengths(words: string[]): number {
  let total = 0;
  for (const w of words) total += w.length;
  return total;
}

export function countInversions(xs: number[]): number {
  let c = 0;
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) if (xs[i] > xs[j]) c++;
  return c;
}

export function sortedKeys(m: Map<string, number>): string[] {
  return [...m.keys()].sort();
}
