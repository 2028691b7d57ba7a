// The fixtures of HP302 exponential-recursion (exponentialRecursion.ts):
// one per class of code judged in issue 13's rounds, each a regression test (the rule catalog's
// tests run them; the rule exports them as its `fixtures`).
import type { Fixture } from '../../analysis/rule';

export const fixtures: Fixture[] = [
    {
      name: 'a set only added to is no memo: the recursion still branches twice per level (review 8, M1)',
      language: 'python',
      code: `def paths(r, c, seen):
    seen.add((r, c))
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c, seen) + paths(r, c - 1, seen)
`,
      lines: [1],
    },
    {
      name: 'fibonacci',
      language: 'python',
      code: `def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
`,
      lines: [1],
      fixed: `import functools


@functools.cache
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
`,
      call: 'fib(20)',
    },
    {
      name: 'existing import and a docstring',
      language: 'python',
      code: `"""Paths in a grid."""
import functools


def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)
`,
      lines: [5],
      fixed: `"""Paths in a grid."""
import functools


@functools.cache
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)
`,
      call: 'paths(8, 8)',
    },
    {
      name: 'list argument: reported without a fix',
      language: 'python',
      code: `def count(items, i=0):
    if i == len(items):
        return 1
    return count(items, i + 1) + count(items, i + 1)
`,
      lines: [1],
    },
    {
      name: 'a method: reported, no fix (the cache would keep every instance alive)',
      language: 'python',
      code: `class Grid:
    def paths(self, r, c):
        if r == 0 or c == 0:
            return 1
        return self.paths(r - 1, c) + self.paths(r, c - 1)
`,
      lines: [2],
    },
    {
      name: 'memoized, halving and tree recursion are fine',
      language: 'python',
      code: `from functools import lru_cache

@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def msort(a):
    if len(a) <= 1:
        return a
    mid = len(a) // 2
    return sorted(msort(a[:mid]) + msort(a[mid:]))

def size(node):
    if node is None:
        return 0
    return 1 + size(node.left) + size(node.right)

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

def fib_memo(n, memo={}):
    if n in memo:
        return memo[n]
    if n < 2:
        return n
    memo[n] = fib_memo(n - 1) + fib_memo(n - 2)
    return memo[n]
`,
      lines: [],
    },
    {
      name: 'not exponential: a split of the input, a depth counter beside a tree walk, a table of any name, a flood fill, minimax over leaves (nltk read_type and others)',
      language: 'python',
      code: `RESULTS = {}


def read_type(s, _depth=0, max_depth=50):
    if _depth > max_depth:
        raise ValueError(s)
    if s[0] == "<":
        i = s.index(",")
        return (read_type(s[1:i], _depth + 1, max_depth), read_type(s[i + 1 : -1], _depth + 1, max_depth))
    return s


def halves(xs):
    if len(xs) < 2:
        return xs
    zeros = [x for x in xs if x % 2 == 0]
    ones = [x for x in xs if x % 2 == 1]
    return halves(zeros) + halves(ones)


def ways(n):
    if n in RESULTS:
        return RESULTS[n]
    if n < 2:
        return 1
    RESULTS[n] = ways(n - 1) + ways(n - 2)
    return RESULTS[n]


def fill(grid, i, j):
    if i < 0 or j < 0 or i >= len(grid) or j >= len(grid[0]) or grid[i][j] != 0:
        return
    grid[i][j] = 2
    fill(grid, i + 1, j)
    fill(grid, i - 1, j)
    fill(grid, i, j + 1)
    fill(grid, i, j - 1)


def minimax(depth, node, is_max, values, height):
    if depth == height:
        return values[node]
    pick = max if is_max else min
    return pick(minimax(depth + 1, node * 2, not is_max, values, height), minimax(depth + 1, node * 2 + 1, not is_max, values, height))
`,
      lines: [],
    },
    {
      name: 'an exhaustive search over fresh lists: information, memoization does not apply (nltk resolution)',
      language: 'python',
      code: `def subsets(first, second, used, debug):
    if not first:
        return [used]
    result = subsets(first[1:], second, used, debug + 1)
    result += subsets(first[1:], second, used + [first[0]], debug + 1)
    return result
`,
      lines: [1],
      severity: 'information',
    },
    {
      name: 'a trie walk: each call descends into a different child and advances a position in another sequence beside it (issue 13 round 11: paho-mqtt matcher, wrong by both judges); two calls into the same child with that position still branch twice per level',
      language: 'python',
      code: `def matches(root, topic):
    parts = topic.split('/')

    def rec(node, i=0):
        if i == len(parts):
            if node.content is not None:
                yield node.content
        else:
            part = parts[i]
            if part in node.children:
                yield from rec(node.children[part], i + 1)
            if '+' in node.children:
                yield from rec(node.children['+'], i + 1)
    return list(rec(root))


def count(node, xs, i):
    if i == len(xs):
        return 1
    return count(node.next, xs, i + 1) + count(node.next, xs, i + 1) + xs[i]
`,
      lines: [17],
      severity: 'information',
    },
    {
      name: 'head and tail: one call on the first (or last) element, one on the rest of the list, are disjoint parts, each element visited once (issue 13 round 14: pyparsing `_flatten` in whoosh-reloaded, wrong by both judges as 2ⁿ); two calls on the same rest still branch, and so do the last element with the list after the first (review 12 S3: `L[-1]` and `L[1:]` overlap)',
      language: 'python',
      code: `def _flatten(L):
    if type(L) is not list: return [L]
    if L == []: return L
    return _flatten(L[0]) + _flatten(L[1:])


def subsets(xs):
    if not xs:
        return [[]]
    rest = subsets(xs[1:])
    return rest + [[xs[0]] + r for r in subsets(xs[1:])]


def _flatten_last(L):
    if type(L) is not list: return [L]
    if L == []: return L
    return _flatten_last(L[-1]) + _flatten_last(L[:-1])


def _overlap(L):
    if type(L) is not list: return [L]
    if L == []: return L
    return _overlap(L[-1]) + _overlap(L[1:])
`,
      lines: [7, 20],
      severity: 'information',
    },
    {
      name: 'head and tail in JavaScript: `arr[0]` and `arr.slice(1)`',
      language: 'javascript',
      code: `function flatten(arr) {
  if (!Array.isArray(arr)) return [arr];
  if (arr.length === 0) return arr;
  return flatten(arr[0]).concat(flatten(arr.slice(1)));
}
`,
      lines: [],
    },
    {
      name: 'not exponential: calls in different switch cases, a depth counter beside a walk to the parent or down a guarded subtree `tree && tree[0]` (webpack side-effects, syntax-printer; bitcoinjs-lib taproot tree, wrong by both judges in issue 13 round 12)',
      language: 'javascript',
      code: `function kind(tree, node, depth) {
  if (depth < 0) return undefined;
  switch (tree.type(node)) {
    case 'Unary':
      return kind(tree, tree.field(node, 'argument'), depth - 1);
    case 'Sequence':
      return kind(tree, tree.last(node), depth - 1);
    default:
      return 'number';
  }
}
function readsTruth(node, level = 0) {
  const parent = parentAt(level);
  switch (parent.type) {
    case 'Conditional':
      return parent.test === node || readsTruth(parent, level + 1);
    case 'Logical':
      return parent.op !== '??' && readsTruth(parent, level + 1);
    default:
      return false;
  }
}
function insertLeaf(leaf, tree, depth) {
  if (depth > 128 || leaf.depth === depth) return tree ? undefined : leaf;
  return insertLeaf(leaf, tree && tree[0], depth + 1) || insertLeaf(leaf, tree && tree[1], depth + 1);
}
`,
      lines: [],
    },
    {
      name: 'not exponential: self-calls in exclusive early returns, one nested in a branch that may fall through (textblob singularize, issue 13 round 9)',
      language: 'python',
      code: `def singularize(word, custom=None):
    if word in custom:
        return custom[word]
    if "-" in word:
        words = word.split("-")
        if len(words) > 1 and words[1] in PREPOSITIONS:
            return singularize(words[0], custom) + "-" + "-".join(words[1:])
    if word.endswith("'"):
        return singularize(word[:-1]) + "'s"
    return word.rstrip("s")


def both_after(word):
    if not word:
        return 0
    if word[0] == "-":
        if len(word) > 2:
            return both_after(word[1:])
    return both_after(word[1:]) + both_after(word[2:])
`,
      // both_after: the fall-through path still makes two calls on a constant-shrinking input.
      lines: [13],
      severities: ['information'],
    },
    {
      name: 'not exponential: a self-call returned from a braced `else`, another from a later tie-break (fast-sort multiPropertySorter, issue 13 round 11)',
      language: 'javascript',
      code: `function sorter(sortBy, sortByArr, depth, a, b) {
  var valA;
  if (typeof sortBy === 'string') {
    valA = a[sortBy];
  }
  else if (typeof sortBy === 'function') {
    valA = sortBy(a);
  }
  else {
    return sorter(sortBy.key, sortByArr, depth, a, b);
  }
  if (valA === 0 && sortByArr.length > depth) {
    return sorter(sortByArr[depth], sortByArr, depth + 1, a, b);
  }
  return valA;
}
function both(xs, depth) {
  if (depth > xs.length) {
    return 0;
  }
  else {
    both(xs, depth + 1);
  }
  return both(xs, depth + 1);
}
`,
      // both: the braced else falls through, so its call adds up with the one after it.
      lines: [17],
    },
    {
      name: 'the slow variant on purpose: named naive, or its fast variant defined beside it as a function (information; issue 13 round 11: algorithms combination); "recursive" in a name says how it is written, not that it is the slow one (review 8 P4: a warning)',
      language: 'python',
      code: `import math


def fib_recursive(n):
    if n < 2:
        return n
    return fib_recursive(n - 1) + fib_recursive(n - 2)


def combination(n, r):
    if r == 0 or n == r:
        return 1
    return combination(n - 1, r - 1) + combination(n - 1, r)


def combination_memo(n, r):
    return math.comb(n, r)


def hosoya(height, width):
    if width == 0 and height in (0, 1):
        return 1
    if width == 1 and height in (1, 2):
        return 1
    if height > width:
        return hosoya(height - 1, width) + hosoya(height - 2, width)
    if width == height:
        return hosoya(height - 1, width - 1) + hosoya(height - 2, width - 2)
    return 0
`,
      lines: [4, 10, 20],
      severities: ['warning', 'information', 'warning'],
    },
    {
      name: 'a table or an import named like a fast variant is no variant; a naive name is (review 8 P4)',
      language: 'python',
      code: `from .tables import ways_table

steps_table = {0: 1, 1: 1}


def ways(n, k):
    if n == 0 or k == 0:
        return 1
    return ways(n - 1, k) + ways(n, k - 1)


def steps(n):
    if n < 2:
        return 1
    return steps(n - 1) + steps(n - 2)


def count_paths_naive(r, c):
    if r == 0 or c == 0:
        return 1
    return count_paths_naive(r - 1, c) + count_paths_naive(r, c - 1)
`,
      lines: [6, 12, 18],
      severities: ['warning', 'warning', 'information'],
    },
    {
      name: 'JavaScript: "Recursive" in a name is no evidence; a fast variant defined as an arrow function is (review 8 P4)',
      language: 'javascript',
      code: `function countRecursive(n) {
  if (n < 2) return 1;
  return countRecursive(n - 1) + countRecursive(n - 2);
}
function climb(n) {
  if (n < 2) return 1;
  return climb(n - 1) + climb(n - 2);
}
const climbMemo = (n) => n;
module.exports = { countRecursive, climb, climbMemo };
`,
      lines: [1, 5],
      severities: ['warning', 'information'],
    },
    {
      name: 'a trace appended on every call of a counting recursion collects no results: no enumeration (review 8 P7)',
      language: 'python',
      code: `def paths2(grid, r, c, trace):
    trace.append((r, c))
    if r == 0 or c == 0:
        return 1
    return paths2(grid, r - 1, c, trace) + paths2(grid, r, c - 1, trace)


def count_into(out, n):
    if n < 2:
        out.append(n)
        return 1
    return count_into(out, n - 1) + count_into(out, n - 2)
`,
      lines: [1, 8],
      severities: ['warning', 'warning'],
    },
    {
      name: 'an enumeration: every complete result collected into a parameter passed on unchanged (information; issue 13 round 11: algorithms subsets, generate_parenthesis)',
      language: 'python',
      code: `def _backtrack(result, nums, stack, position):
    if position == len(nums):
        result.append(list(stack))
    else:
        stack.append(nums[position])
        _backtrack(result, nums, stack, position + 1)
        stack.pop()
        _backtrack(result, nums, stack, position + 1)
`,
      lines: [1],
      severity: 'information',
    },
    {
      name: 'a JavaScript enumeration into an array parameter (information)',
      language: 'javascript',
      code: `function pairs(out, current, left, right) {
  if (left === 0 && right === 0) {
    out.push(current);
    return;
  }
  if (right > 0) pairs(out, current + ')', left, right - 1);
  if (left > 0) pairs(out, current + '(', left - 1, right + 1);
}
`,
      lines: [1],
      severity: 'information',
    },
    {
      name: 'JavaScript fibonacci',
      language: 'javascript',
      code: `function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
const climb = (n) => (n <= 1 ? 1 : climb(n - 1) + climb(n - 2));
`,
      lines: [1, 5],
    },
    {
      name: 'TypeScript method',
      language: 'typescript',
      code: `export class Stairs {
  ways(n: number): number {
    return n <= 1 ? 1 : this.ways(n - 1) + this.ways(n - 2);
  }
}
`,
      lines: [2],
    },
    {
      name: 'JavaScript memo and branches with one call each',
      language: 'javascript',
      code: `function fib(n, memo = new Map()) {
  if (n < 2) return n;
  if (memo.has(n)) return memo.get(n);
  const v = fib(n - 1, memo) + fib(n - 2, memo);
  memo.set(n, v);
  return v;
}
function search(a, x, lo, hi) {
  if (lo > hi) return -1;
  const mid = (lo + hi) >> 1;
  if (a[mid] < x) return search(a, x, mid + 1, hi);
  return search(a, x, lo, mid - 1);
}
`,
      lines: [],
    },
];
