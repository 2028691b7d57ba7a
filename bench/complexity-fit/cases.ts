// The complexity-fit set: each function of bench/complexity-fit/ with its known class (used by
// complexity-fit.bench.ts and sandbox.bench.ts).
import type { ComplexityClass, FitPoint } from '../../server/src/execution';

export interface Case {
  file: string;
  name: string;
  expected: ComplexityClass;
}

/** The function table: file, function, expected class. */
export const CASES: Case[] = [
  { file: 'functions.py', name: 'first', expected: 'O(1)' },
  { file: 'functions.py', name: 'length', expected: 'O(1)' },
  { file: 'functions.py', name: 'halvings', expected: 'O(log n)' },
  { file: 'functions.py', name: 'pow_mod', expected: 'O(log n)' },
  { file: 'functions.py', name: 'total', expected: 'O(n)' },
  { file: 'functions.py', name: 'count_evens', expected: 'O(n)' },
  { file: 'functions.py', name: 'reverse_words', expected: 'O(n)' },
  { file: 'functions.py', name: 'running_max', expected: 'O(n)' },
  { file: 'functions.py', name: 'sort_copy', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'merge_sort', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'heap_sort', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'count_pairs', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'bubble_sort', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'dedupe_list', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'drain_front', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'count_triples', expected: 'O(n^3)' },
  { file: 'functions.py', name: 'matmul', expected: 'O(n^3)' },
  { file: 'functions.py', name: 'fib', expected: 'O(2^n)' },
  { file: 'functions.py', name: 'subset_sums', expected: 'O(2^n)' },
  { file: 'functions.js', name: 'first', expected: 'O(1)' },
  { file: 'functions.js', name: 'middle', expected: 'O(1)' },
  { file: 'functions.js', name: 'halvings', expected: 'O(log n)' },
  { file: 'functions.js', name: 'binarySearchLast', expected: 'O(log n)' },
  { file: 'functions.js', name: 'total', expected: 'O(n)' },
  { file: 'functions.js', name: 'countVowels', expected: 'O(n)' },
  { file: 'functions.js', name: 'prefixSums', expected: 'O(n)' },
  { file: 'functions.js', name: 'sortCopy', expected: 'O(n log n)' },
  { file: 'functions.js', name: 'mergeSort', expected: 'O(n log n)' },
  { file: 'functions.js', name: 'countPairs', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'insertionSort', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'dedupeIncludes', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'countTriples', expected: 'O(n^3)' },
  { file: 'functions.js', name: 'fib', expected: 'O(2^n)' },
  { file: 'functions.js', name: 'subsetCount', expected: 'O(2^n)' },
  { file: 'functions.ts', name: 'wordLengths', expected: 'O(n)' },
  { file: 'functions.ts', name: 'countInversions', expected: 'O(n^2)' },
  { file: 'functions.ts', name: 'sortedKeys', expected: 'O(n log n)' },
];

/** What HOTPATH_FIT_DUMP holds: each function's points (medians), and the stability sweep's. */
export type Dump = (Case & { points: FitPoint[]; second?: FitPoint[] })[];
