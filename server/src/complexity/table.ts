// The evidence table: functions of known complexity, in Python and JavaScript/TypeScript, with the
// estimate expected for the function named `fn`. table.test.ts runs it; docs/complexity.md quotes it.
import type { LanguageId } from '../analysis/language';

export interface TableCase {
  language: LanguageId;
  fn: string;
  expect: string;
  code: string;
}

const py = (fn: string, expect: string, code: string): TableCase => ({ language: 'python', fn, expect, code });
const js = (fn: string, expect: string, code: string): TableCase => ({ language: 'javascript', fn, expect, code });
const ts = (fn: string, expect: string, code: string): TableCase => ({ language: 'typescript', fn, expect, code });
const tsx = (fn: string, expect: string, code: string): TableCase => ({ language: 'tsx', fn, expect, code });

export const TABLE: TableCase[] = [
  // ---- Python ----
  // Classic sorts and searches (issue 13): O(n²) sorts with while-loop back-steps and flags, heap sort, ternary search.
  py('bubble', 'O(n²)', `def bubble(a):\n    n = len(a)\n    swapped = True\n    while swapped:\n        swapped = False\n        for i in range(1, n):\n            if a[i - 1] > a[i]:\n                a[i - 1], a[i] = a[i], a[i - 1]\n                swapped = True\n    return a\n`),
  py('insertion', 'O(n²)', `def insertion(a):\n    for i in range(1, len(a)):\n        key = a[i]\n        j = i - 1\n        while j >= 0 and a[j] > key:\n            a[j + 1] = a[j]\n            j -= 1\n        a[j + 1] = key\n    return a\n`),
  py('gnome', 'O(n²)', `def gnome(a):\n    i = 0\n    while i < len(a):\n        if i == 0 or a[i - 1] <= a[i]:\n            i += 1\n        else:\n            a[i], a[i - 1] = a[i - 1], a[i]\n            i -= 1\n    return a\n`),
  py('selection', 'O(n²)', `def selection(a):\n    for i in range(len(a)):\n        m = i\n        for j in range(i + 1, len(a)):\n            if a[j] < a[m]:\n                m = j\n        a[i], a[m] = a[m], a[i]\n    return a\n`),
  py('heap_sort', 'O(n log n)', `def sift_down(a, start, end):\n    root = start\n    while 2 * root + 1 <= end:\n        child = 2 * root + 1\n        if child + 1 <= end and a[child] < a[child + 1]:\n            child += 1\n        if a[root] < a[child]:\n            a[root], a[child] = a[child], a[root]\n            root = child\n        else:\n            return\n\n\ndef heap_sort(a):\n    n = len(a)\n    for start in range((n - 2) // 2, -1, -1):\n        sift_down(a, start, n - 1)\n    for end in range(n - 1, 0, -1):\n        a[end], a[0] = a[0], a[end]\n        sift_down(a, 0, end - 1)\n    return a\n`),
  py('ternary_index', 'O(log n)', `def ternary_index(a, x):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n        m1 = lo + (hi - lo) // 3\n        m2 = hi - (hi - lo) // 3\n        if a[m1] == x:\n            return m1\n        if a[m2] == x:\n            return m2\n        if x < a[m1]:\n            hi = m1 - 1\n        elif x > a[m2]:\n            lo = m2 + 1\n        else:\n            lo, hi = m1 + 1, m2 - 1\n    return -1\n`),
  py('merge_sort', 'O(n log n)', `def merge_sort(a):\n    if len(a) <= 1:\n        return a\n    mid = len(a) // 2\n    left = merge_sort(a[:mid])\n    right = merge_sort(a[mid:])\n    out = []\n    i = j = 0\n    while i < len(left) and j < len(right):\n        if left[i] <= right[j]:\n            out.append(left[i])\n            i += 1\n        else:\n            out.append(right[j])\n            j += 1\n    return out + left[i:] + right[j:]\n`),
  // A monotonic stack (issue 13 held-out, more-itertools running_max): the inner while pops what the outer loop pushed, at most once each.
  py('next_greater', 'O(n)', `def next_greater(xs):\n    out = [None] * len(xs)\n    stack = []\n    for i, x in enumerate(xs):\n        while stack and xs[stack[-1]] < x:\n            out[stack.pop()] = x\n        stack.append(i)\n    return out\n`),
  js('bubble', 'O(n²)', `function bubble(a) {\n  let swapped = true;\n  while (swapped) {\n    swapped = false;\n    for (let i = 1; i < a.length; i++) {\n      if (a[i - 1] > a[i]) { const t = a[i]; a[i] = a[i - 1]; a[i - 1] = t; swapped = true; }\n    }\n  }\n  return a;\n}\n`),
  js('insertion', 'O(n²)', `function insertion(a) {\n  for (let i = 1; i < a.length; i++) {\n    const key = a[i];\n    let j = i - 1;\n    while (j >= 0 && a[j] > key) { a[j + 1] = a[j]; j--; }\n    a[j + 1] = key;\n  }\n  return a;\n}\n`),
  js('gnome', 'O(n²)', `function gnome(a) {\n  let i = 0;\n  while (i < a.length) {\n    if (i === 0 || a[i - 1] <= a[i]) i++;\n    else { const t = a[i]; a[i] = a[i - 1]; a[i - 1] = t; i--; }\n  }\n  return a;\n}\n`),
  js('selection', 'O(n²)', `function selection(a) {\n  for (let i = 0; i < a.length; i++) {\n    let m = i;\n    for (let j = i + 1; j < a.length; j++) if (a[j] < a[m]) m = j;\n    const t = a[i]; a[i] = a[m]; a[m] = t;\n  }\n  return a;\n}\n`),
  js('heapSort', 'O(n log n)', `function siftDown(a, start, end) {\n  let root = start;\n  while (2 * root + 1 <= end) {\n    let child = 2 * root + 1;\n    if (child + 1 <= end && a[child] < a[child + 1]) child++;\n    if (a[root] < a[child]) { const t = a[root]; a[root] = a[child]; a[child] = t; root = child; } else return;\n  }\n}\nfunction heapSort(a) {\n  const n = a.length;\n  for (let s = Math.floor((n - 2) / 2); s >= 0; s--) siftDown(a, s, n - 1);\n  for (let end = n - 1; end > 0; end--) { const t = a[end]; a[end] = a[0]; a[0] = t; siftDown(a, 0, end - 1); }\n  return a;\n}\n`),
  js('ternaryIndex', 'O(log n)', `function ternaryIndex(a, x) {\n  let lo = 0, hi = a.length - 1;\n  while (lo <= hi) {\n    const m1 = lo + Math.floor((hi - lo) / 3);\n    const m2 = hi - Math.floor((hi - lo) / 3);\n    if (a[m1] === x) return m1;\n    if (a[m2] === x) return m2;\n    if (x < a[m1]) hi = m1 - 1;\n    else if (x > a[m2]) lo = m2 + 1;\n    else { lo = m1 + 1; hi = m2 - 1; }\n  }\n  return -1;\n}\n`),
  py('get_first', 'O(1)', `def get_first(xs):\n    return xs[0]\n`),
  py('small_sum', 'O(1)', `def small_sum():\n    total = 0\n    for i in range(10):\n        total += i\n    return total\n`),
  py('neighbours', 'O(1)', `def neighbours(x, y):\n    out = []\n    for dx, dy in [(0, 1), (1, 0), (0, -1), (-1, 0)]:\n        out.append((x + dx, y + dy))\n    return out\n`),
  py('first_item', 'O(1)', `def first_item(xs):\n    for x in xs:\n        return x\n    return None\n`),
  py('bsearch', 'O(log n)', `def bsearch(a, x):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if a[mid] < x:\n            lo = mid + 1\n        elif a[mid] > x:\n            hi = mid - 1\n        else:\n            return mid\n    return -1\n`),
  py('count_digits', 'O(log n)', `def count_digits(n):\n    d = 0\n    while n > 0:\n        n //= 10\n        d += 1\n    return d\n`),
  py('power', 'O(log n)', `def power(x, n):\n    if n == 0:\n        return 1\n    half = power(x, n // 2)\n    if n % 2 == 0:\n        return half * half\n    return half * half * x\n`),
  py('bisect_rec', 'O(log n)', `def bisect_rec(a, x, lo, hi):\n    if lo >= hi:\n        return lo\n    mid = (lo + hi) // 2\n    if a[mid] < x:\n        return bisect_rec(a, x, mid + 1, hi)\n    return bisect_rec(a, x, lo, mid)\n`),
  py('total', 'O(n)', `def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n`),
  py('largest', 'O(n)', `def largest(xs):\n    return max(xs)\n`),
  py('min_max', 'O(n)', `def min_max(xs):\n    lo = xs[0]\n    for x in xs:\n        lo = min(lo, x)\n    hi = xs[0]\n    for x in xs:\n        hi = max(hi, x)\n    return lo, hi\n`),
  py('fact', 'O(n)', `def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n`),
  py('count_up', 'O(n)', `def count_up(n):\n    i = 0\n    while i < n:\n        i += 1\n    return i\n`),
  py('intersect', 'O(n + m)', `def intersect(a, b):\n    s = set(b)\n    return [x for x in a if x in s]\n`),
  py('depth', 'O(n)', `def depth(node):\n    if node is None:\n        return 0\n    return 1 + max(depth(node.left), depth(node.right))\n`),
  py('fib_memo', 'O(n)', `import functools\n\n@functools.cache\ndef fib_memo(n):\n    if n < 2:\n        return n\n    return fib_memo(n - 1) + fib_memo(n - 2)\n`),
  py('sorted_pairs', 'O(n log n)', `def sorted_pairs(xs):\n    ys = sorted(xs)\n    out = []\n    for i in range(len(ys) - 1):\n        out.append((ys[i], ys[i + 1]))\n    return out\n`),
  py('msort', 'O(n log n)', `def msort(a):\n    if len(a) <= 1:\n        return a\n    mid = len(a) // 2\n    left = msort(a[:mid])\n    right = msort(a[mid:])\n    out = []\n    i = j = 0\n    while i < len(left) and j < len(right):\n        if left[i] <= right[j]:\n            out.append(left[i])\n            i += 1\n        else:\n            out.append(right[j])\n            j += 1\n    return out + left[i:] + right[j:]\n`),
  py('heap_sort', 'O(n log n)', `import heapq\n\ndef heap_sort(xs):\n    h = []\n    for x in xs:\n        heapq.heappush(h, x)\n    return [heapq.heappop(h) for _ in range(len(h))]\n`),
  py('dedupe', 'O(n²)', `def dedupe(items):\n    seen = []\n    for x in items:\n        if x not in seen:\n            seen.append(x)\n    return seen\n`),
  py('has_pair', 'O(n²)', `def has_pair(xs, target):\n    n = len(xs)\n    for i in range(n):\n        for j in range(i + 1, n):\n            if xs[i] + xs[j] == target:\n                return True\n    return False\n`),
  py('drain', 'O(n²)', `def drain(items):\n    queue = list(items)\n    out = []\n    while queue:\n        out.append(queue.pop(0))\n    return out\n`),
  py('concat_all', 'O(n²)', `def concat_all(xs):\n    result = []\n    for x in xs:\n        result = result + [x]\n    return result\n`),
  py('positions', 'O(n²)', `def positions(xs: list):\n    return [xs.index(x) for x in xs]\n`),
  py('common', 'O(n·m)', `def common(orders, known):\n    out = []\n    for o in orders:\n        for k in known:\n            if o == k:\n                out.append(o)\n    return out\n`),
  py('missing', 'O(n·m)', `def missing(orders, known: list[int]):\n    return [o for o in orders if o not in known]\n`),
  py('uses', 'O(n·m)', `def helper(x, ys):\n    return x in list(ys)\n\ndef uses(xs, ys):\n    return [x for x in xs if helper(x, ys)]\n`),
  py('grid_cells', 'O(n·m)', `def grid_cells(rows, cols):\n    return [(r, c) for r in range(rows) for c in range(cols)]\n`),
  py('matmul', 'O(n³)', `def matmul(a, b, n):\n    c = [[0] * n for _ in range(n)]\n    for i in range(n):\n        for j in range(n):\n            for k in range(n):\n                c[i][j] += a[i][k] * b[k][j]\n    return c\n`),
  py('triples', 'O(n³)', `def triples(xs):\n    out = 0\n    for a in xs:\n        for b in xs:\n            for c in xs:\n                if a + b + c == 0:\n                    out += 1\n    return out\n`),
  py('fib', 'O(2ⁿ)', `def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n`),
  py('count_subsets', 'O(2ⁿ)', `def count_subsets(items, i=0):\n    if i == len(items):\n        return 1\n    return count_subsets(items, i + 1) + count_subsets(items, i + 1)\n`),
  py('two_sum', 'O(n)', `def two_sum(nums, target):\n    lo, hi = 0, len(nums) - 1\n    while lo < hi:\n        s = nums[lo] + nums[hi]\n        if s == target:\n            return lo, hi\n        if s < target:\n            lo += 1\n        else:\n            hi -= 1\n    return None\n`),
  py('is_prime', 'O(√n)', `def is_prime(n):\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return n > 1\n`),
  py('positions', 'O(n·m)', `class Store:\n    def __init__(self, items):\n        self.items = list(items)\n\n    def find(self, x):\n        return self.items.index(x)\n\n    def positions(self, xs):\n        return [self.find(x) for x in xs]\n`),
  py('read_all', '≥ O(1)', `def read_all(stream):\n    chunks = []\n    while True:\n        chunk = stream.read(4096)\n        if not chunk:\n            break\n        chunks.append(chunk)\n    return chunks\n`),
  py('process_all', '≥ O(n)', `from worker import process\n\ndef process_all(xs):\n    for x in xs:\n        process(x)\n`),

  // ---- JavaScript / TypeScript ----
  js('head', 'O(1)', `function head(arr) {\n  return arr[0];\n}\n`),
  js('tenSum', 'O(1)', `function tenSum() {\n  let s = 0;\n  for (let i = 0; i < 10; i++) s += i;\n  return s;\n}\n`),
  js('search', 'O(log n)', `function search(arr, x) {\n  let lo = 0, hi = arr.length - 1;\n  while (lo <= hi) {\n    const mid = Math.floor((lo + hi) / 2);\n    if (arr[mid] === x) return mid;\n    if (arr[mid] < x) lo = mid + 1;\n    else hi = mid - 1;\n  }\n  return -1;\n}\n`),
  js('bits', 'O(log n)', `function bits(n) {\n  let c = 0;\n  for (let i = 1; i < n; i *= 2) c++;\n  return c;\n}\n`),
  js('sum', 'O(n)', `function sum(arr) {\n  return arr.reduce((a, b) => a + b, 0);\n}\n`),
  js('sumOf', 'O(n)', `function sumOf(arr) {\n  let s = 0;\n  for (const x of arr) s += x;\n  return s;\n}\n`),
  js('countTo', 'O(n)', `function countTo(n) {\n  let i = 0;\n  while (i < n) {\n    i++;\n  }\n  return i;\n}\n`),
  js('inBoth', 'O(n + m)', `function inBoth(a, b) {\n  const s = new Set(b);\n  return a.filter((x) => s.has(x));\n}\n`),
  js('sortedCopy', 'O(n log n)', `function sortedCopy(arr) {\n  return arr.slice().sort((a, b) => a - b);\n}\n`),
  js('mergeSort', 'O(n log n)', `function mergeSort(a) {\n  if (a.length <= 1) return a;\n  const mid = Math.floor(a.length / 2);\n  const l = mergeSort(a.slice(0, mid));\n  const r = mergeSort(a.slice(mid));\n  const out = [];\n  let i = 0, j = 0;\n  while (i < l.length && j < r.length) out.push(l[i] <= r[j] ? l[i++] : r[j++]);\n  return out.concat(l.slice(i), r.slice(j));\n}\n`),
  js('uniq', 'O(n²)', `function uniq(arr) {\n  return arr.filter((x, i) => arr.indexOf(x) === i);\n}\n`),
  js('pairs', 'O(n²)', `function pairs(arr) {\n  let c = 0;\n  for (let i = 0; i < arr.length; i++) {\n    for (let j = i + 1; j < arr.length; j++) {\n      if (arr[i] === arr[j]) c++;\n    }\n  }\n  return c;\n}\n`),
  js('distinct', 'O(n²)', `function distinct(xs) {\n  const out = [];\n  for (const x of xs) {\n    if (!out.includes(x)) out.push(x);\n  }\n  return out;\n}\n`),
  js('drainQueue', 'O(n²)', `function drainQueue(items) {\n  const queue = [...items];\n  let n = 0;\n  while (queue.length > 0) {\n    queue.shift();\n    n++;\n  }\n  return n;\n}\n`),
  js('overlap', 'O(n·m)', `function overlap(a, b) {\n  return a.filter((x) => b.includes(x));\n}\n`),
  js('cross', 'O(n·m)', `function cross(xs, ys) {\n  const out = [];\n  for (const x of xs) {\n    for (const y of ys) out.push([x, y]);\n  }\n  return out;\n}\n`),
  js('cube', 'O(n³)', `function cube(n) {\n  let c = 0;\n  for (let i = 0; i < n; i++)\n    for (let j = 0; j < n; j++)\n      for (let k = 0; k < n; k++) c++;\n  return c;\n}\n`),
  js('fibJs', 'O(2ⁿ)', `function fibJs(n) {\n  if (n < 2) return n;\n  return fibJs(n - 1) + fibJs(n - 2);\n}\n`),
  js('climb', 'O(2ⁿ)', `const climb = (n) => (n <= 1 ? 1 : climb(n - 1) + climb(n - 2));\n`),
  js('fibMemo', 'O(n)', `function fibMemo(n, memo = new Map()) {\n  if (n < 2) return n;\n  if (memo.has(n)) return memo.get(n);\n  const v = fibMemo(n - 1, memo) + fibMemo(n - 2, memo);\n  memo.set(n, v);\n  return v;\n}\n`),
  js('dedupe', 'O(n²)', `class Store {\n  dedupe(xs) {\n    const out = [];\n    for (const x of xs) if (out.indexOf(x) < 0) out.push(x);\n    return out;\n  }\n}\n`),
  js('matchAll', 'O(n·m)', `function find(x, list) {\n  return list.indexOf(x);\n}\nfunction matchAll(queries, list) {\n  return queries.map((q) => find(q, list));\n}\n`),
  js('isPrime', 'O(√n)', `function isPrime(n) {\n  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;\n  return n > 1;\n}\n`),
  js('sumStack', 'O(n)', `function sumStack(items) {\n  const st = [...items];\n  let s = 0;\n  while (st.length) s += st.pop();\n  return s;\n}\n`),
  tsx('UniqueList', 'O(n²)', `export function UniqueList({ items }: { items: string[] }) {\n  const seen: string[] = [];\n  return <ul>{items.filter((i) => { if (seen.includes(i)) return false; seen.push(i); return true; }).map((i) => <li key={i}>{i}</li>)}</ul>;\n}\n`),
  tsx('Cells', 'O(n)', `export const Cells = ({ cells }: { cells: number[] }) => cells.map((c) => <td key={c}>{c}</td>);\n`),
  ts('sortAll', 'O(n log n)', `function sortAll(xs: number[]): number[] {\n  return [...xs].sort((a, b) => a - b);\n}\n`),
  ts('treeSize', 'O(n)', `interface Node { left?: Node; right?: Node }\nfunction treeSize(node?: Node): number {\n  if (!node) return 0;\n  return 1 + treeSize(node.left) + treeSize(node.right);\n}\n`),
];
