// JavaScript functions of known complexity for bench/complexity-fit.bench.ts (types from JSDoc).

/** @param {number[]} xs */
function first(xs) {
  return xs.length ? xs[0] : undefined;
}

/** @param {number[]} xs */
function middle(xs) {
  return xs[xs.length >> 1];
}

/** @param {number} n */
function halvings(n) {
  let c = 0;
  while (n > 0) {
    n = Math.floor(n / 2);
    c++;
  }
  return c;
}

/** @param {number[]} xs */
function binarySearchLast(xs) {
  const target = xs[xs.length - 1];
  let lo = 0, hi = xs.length, steps = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < target) lo = mid + 1; else hi = mid;
    steps++;
  }
  return steps;
}

/** @param {number[]} xs */
function total(xs) {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** @param {string} s */
function countVowels(s) {
  let c = 0;
  for (let i = 0; i < s.length; i++) if ('aeiou'.includes(s[i])) c++;
  return c;
}

/** @param {number[]} xs */
function prefixSums(xs) {
  const out = new Array(xs.length);
  let s = 0;
  for (let i = 0; i < xs.length; i++) out[i] = s += xs[i];
  return out;
}

/** @param {number[]} xs */
function sortCopy(xs) {
  return [...xs].sort((a, b) => a - b);
}

/** @param {number[]} xs */
function mergeSort(xs) {
  if (xs.length <= 1) return xs;
  const mid = xs.length >> 1;
  const a = mergeSort(xs.slice(0, mid)), b = mergeSort(xs.slice(mid));
  const out = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(a[i] <= b[j] ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** @param {number[]} xs */
function countPairs(xs) {
  let c = 0;
  for (let i = 0; i < xs.length; i++) for (let j = 0; j < xs.length; j++) if (xs[i] < xs[j]) c++;
  return c;
}

/** @param {number[]} xs */
function insertionSort(xs) {
  const a = xs.slice();
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
  return a;
}

/** @param {number[]} xs */
function dedupeIncludes(xs) {
  const out = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out;
}

/** @param {number} n */
function countTriples(n) {
  let c = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) c += (i ^ j ^ k) & 1;
  return c;
}

/** @param {number} n */
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** @param {number[]} xs */
function subsetCount(xs) {
  const go = (i, s) => (i === xs.length ? (s % 2 === 0 ? 1 : 0) : go(i + 1, s) + go(i + 1, s + xs[i]));
  return go(0, 0);
}
