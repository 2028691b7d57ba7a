// HP301: a function whose own code is at least quadratic in its inputs.
import type { UnitFacts } from '../../analysis/facts';
import type { Rule } from '../../analysis/rule';
import { formatCost, inputDegree, type Step } from '../cost';
import { quadraticTerm } from '../estimate';
import { legendText } from './shared';

export const quadraticFunction: Rule<UnitFacts> = {
  code: 'HP301',
  name: 'quadratic-function',
  languages: ['python', 'javascript', 'typescript', 'tsx'],
  severity: 'information',
  summary: 'The function is at least quadratic in the size of its inputs.',
  cost: 'O(n²) or O(n·m) and above',
  docs: `## What it does
Estimates the time complexity of every function from its syntax (see docs/complexity.md) and reports
the functions whose own code is at least quadratic in the size of their inputs: nested loops over
input-dependent collections or ranges, or a loop around a linear operation — a list scan
(\`x in list\`, \`list.index\`, \`arr.includes\`), \`pop(0)\`/\`shift()\`, a slice or copy, a list
concatenation, a sort. The message names the chain that causes it, e.g.
"loop over \`items\` × \`x not in seen\` (list scan)", and the related locations
point at each link (with their lines: the message itself names the code, not line numbers, because
findings are cached per function and only shifted when lines are added above).

Loops over constant ranges or literal collections are O(1); loops over the elements of an element
(the cells of a row of a grid) are counted in the estimate but never make a function "quadratic in
its input". Calls to functions defined elsewhere (another module, or another function of this file)
are not followed by this rule: they make the estimate a lower bound. The code lens above each function
shows the whole-file estimate, which does follow calls within the file.

## Why
Quadratic code is fine for ten items and unusable for a hundred thousand. Most accidental quadratic
code is a linear operation hidden inside a loop.

## Example
\`\`\`python
def dedupe(items):
    seen = []
    for x in items:
        if x not in seen:      # O(len(seen)) on every iteration
            seen.append(x)
    return seen
\`\`\`
## Fix
Use a structure with O(1) lookups (a set, a dict, a deque), sort once, or build the result once:
\`\`\`python
def dedupe(items):
    return list(dict.fromkeys(items))
\`\`\``,
  fixtures: [
    {
      name: 'pop(0) on a fresh list whose length an assert just before the loop caps with literals (`assert len(children) in (3, 4)`) moves at most that many items: not O(n²) (issue 13 round 16, in sample: cmakelang `_reflow`, HP102 wrong by both; python/assertedLength.ts, as HP102 reads it); kept for `>= 3`',
      language: 'python',
      code: `def reflow(self, cursor):
    children = list(self.children)
    assert len(children) in (3, 4)
    child = None
    while children:
        prev = child
        child = children.pop(0)
        cursor = child.reflow(cursor, prev)
    return cursor


def reflow_at_least(self, cursor):
    children = list(self.children)
    assert len(children) >= 3
    while children:
        child = children.pop(0)
        cursor = child.reflow(cursor)
    return cursor


def reflow_grows(self, cursor):
    children = list(self.children)
    assert len(children) == 4
    while children:
        child = children.pop(0)
        children.extend(child.more)
        cursor = child.reflow(cursor)
    return cursor
`,
      lines: [12],
      severity: 'information',
    },
    {
      name: 'a window of `n * size` in a `while count > 0` whose body takes `n` off the counter on every pass: the windows add up to the first count, so the slices copy it once in all (issue 13 round 16, in sample: dissect-evidence `read_sectors`, estimated ≥ O(count²)); kept when the counter drops by 1 instead, and when the other factor of the window is the counter itself (`n * count`, review 14 S3)',
      language: 'python',
      code: `class TableSection:
    def read_sectors(self, sector: int, count: int) -> bytes:
        result = []
        chunk_sector_count = self.sector_count
        sector_size = self.sector_size
        table_chunk = sector // chunk_sector_count
        while count > 0:
            offset = sector % chunk_sector_count
            table_sectors = min(chunk_sector_count - offset, count)
            chunk_pos = offset * sector_size
            chunk_end = chunk_pos + (table_sectors * sector_size)
            buf = self.read_chunk(table_chunk)
            buf = buf[chunk_pos:chunk_end]
            result.append(buf)
            count -= table_sectors
            sector += table_sectors
            table_chunk += 1
        return b"".join(result)

    def read_sectors_by_one(self, sector: int, count: int) -> bytes:
        result = []
        chunk_sector_count = self.sector_count
        sector_size = self.sector_size
        table_chunk = sector // chunk_sector_count
        while count > 0:
            offset = sector % chunk_sector_count
            table_sectors = min(chunk_sector_count - offset, count)
            chunk_pos = offset * sector_size
            chunk_end = chunk_pos + (table_sectors * sector_size)
            buf = self.read_chunk(table_chunk)
            buf = buf[chunk_pos:chunk_end]
            result.append(buf)
            count -= 1
            sector += table_sectors
            table_chunk += 1
        return b"".join(result)


def read_prefixes(buf: bytes, count: int) -> list:
    out = []
    pos = 0
    size = 1
    while count > 0:
        n = min(size, count)
        end = pos + n * count
        chunk = buf[pos:end]
        out.append(chunk)
        count -= n
        pos += 1
    return out
`,
      lines: [20, 39],
      severity: 'information',
    },
    {
      name: 'a slice whose end is bound just before to its start plus the needle\'s length copies the needle\'s length, not the haystack\'s (issue 13 round 16, in sample: greenery `select_static`, wrong by both judges); kept when the start is rebound between, or the end is not start + k',
      language: 'python',
      code: `def select_static(haystack: str, i: int, *needles: str):
    for needle in needles:
        j = i + len(needle)
        if haystack[i:j] == needle:
            return needle, j
    raise NoMatch


def select_moved(haystack: str, i: int, *needles: str):
    for needle in needles:
        j = i + len(needle)
        i = 0
        if haystack[i:j] == needle:
            return needle, j
    raise NoMatch


def select_far(haystack: str, i: int, *needles: str):
    for needle in needles:
        j = len(haystack) - len(needle)
        if haystack[i:j] == needle:
            return needle, j
    raise NoMatch
`,
      lines: [9, 18],
      severity: 'information',
    },
    {
      name: 'list scan in a loop',
      language: 'python',
      code: `def dedupe(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen
`,
      lines: [1],
    },
    {
      name: 'a loop of at most a literal number of steps (`range(min(4, len(b)))`, `Math.min(4, b.length)`) copies at most that many items per slice: constant, not n² (issue 13 round 14: json-delta sniff_encoding, wrong by both judges); `min(width, len(b))` is not bounded, nor `min(1000000, len(b))` (review 12 S5: a literal above 4,096 bounds nothing that matters)',
      language: 'python',
      code: `def sniff_encoding(bytestring, starts):
    for limit in range(min(4, len(bytestring)), 0, -1):
        prefix = bytestring[:limit]
        if prefix in starts:
            return starts[prefix]
    return None


def prefixes(data, width):
    out = []
    for limit in range(min(width, len(data)), 0, -1):
        out.append(data[:limit])
    return out


def prefixes_capped(data):
    out = []
    for limit in range(min(1000000, len(data)), 0, -1):
        out.append(data[:limit])
    return out
`,
      lines: [9, 16],
    },
    {
      name: 'Math.min with a literal bounds a JavaScript loop the same way',
      language: 'javascript',
      code: `function sniff(bytes, starts) {
  for (let limit = Math.min(4, bytes.length); limit > 0; limit--) {
    const prefix = bytes.slice(0, limit);
    if (starts.has(prefix.join(','))) return prefix;
  }
  return null;
}
`,
      lines: [],
    },
    {
      name: '`j = s.indexOf(x, j)` in a loop that leaves on -1: each search starts at the last match, so the scans cover `s` once (issue 13 round 14: lumino findIndices, wrong by both judges); a loop that goes on after a miss restarts from the start, and so does a position declared again in the loop or set back by an enclosing loop (review 12 S2)',
      language: 'typescript',
      code: `export function findIndices(source: string, query: string, start = 0): number[] | null {
  let indices = new Array<number>(query.length);
  for (let i = 0, j = start, n = query.length; i < n; ++i, ++j) {
    j = source.indexOf(query[i], j);
    if (j === -1) {
      return null;
    }
    indices[i] = j;
  }
  return indices;
}

export function restarts(source: string, query: string): number {
  let hits = 0;
  let j = 0;
  for (let i = 0; i < query.length; ++i) {
    j = source.indexOf(query[i], j);
    if (j >= 0) hits++;
  }
  return hits;
}

export function firstAll(source: string, query: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < query.length; ++i) {
    let j = 0;
    j = source.indexOf(query[i], j);
    if (j === -1) return out;
    out.push(j);
  }
  return out;
}

export function countAll(source: string, words: string[]): number {
  let total = 0;
  let j = 0;
  for (const w of words) {
    j = 0;
    while (true) {
      j = source.indexOf(w, j);
      if (j === -1) break;
      total++;
      j++;
    }
  }
  return total;
}
`,
      lines: [13, 23, 34],
    },
    {
      name: 'two inputs in nested loops',
      language: 'python',
      code: `def common(orders, known):
    out = []
    for o in orders:
        for k in known:
            if o == k:
                out.append(o)
    return out
`,
      lines: [1],
    },
    {
      name: 'method with pop(0) in a drain loop',
      language: 'python',
      code: `class Q:
    def drain(self, items):
        queue = list(items)
        while queue:
            queue.pop(0)
`,
      lines: [2],
    },
    {
      name: 'linear, constant and grid code is not reported',
      language: 'python',
      code: `def total(xs):
    return sum(xs)

def small():
    for i in range(10):
        for j in range(10):
            print(i, j)

def cells(grid):
    for row in grid:
        for cell in row:
            print(cell)

def with_set(xs, ys):
    s = set(ys)
    return [x for x in xs if x in s]
`,
      lines: [],
    },
    {
      name: 'calls into other functions are not followed',
      language: 'python',
      code: `def helper(x, ys):
    return x in list(ys)

def uses(xs, ys):
    return [x for x in xs if helper(x, ys)]
`,
      lines: [],
    },
    {
      name: 'includes in a filter',
      language: 'javascript',
      code: `function overlap(a, b) {
  return a.filter((x) => b.includes(x));
}
`,
      lines: [1],
    },
    {
      name: 'nested loops over one array',
      language: 'typescript',
      code: `export function pairs(arr: number[]): number {
  let c = 0;
  for (let i = 0; i < arr.length; i++) {
    for (let j = i + 1; j < arr.length; j++) if (arr[i] === arr[j]) c++;
  }
  return c;
}
`,
      lines: [1],
    },
    {
      name: 'slices that partition a sequence by a counter copy it once in all (jinja2 sync_do_slice, issue 13 round 4: judged wrong as O(n·m))',
      language: 'python',
      code: `def do_slice(value, slices):
    seq = list(value)
    per_slice = len(seq) // slices
    extra = len(seq) % slices
    offset = 0
    for number in range(slices):
        start = offset + number * per_slice
        if number < extra:
            offset += 1
        end = offset + (number + 1) * per_slice
        yield seq[start:end]


def overlapping(value, slices):
    seq = list(value)
    per_slice = len(seq) // slices
    for number in range(slices):
        start = number * per_slice
        end = start + (number + 1) * per_slice
        yield seq[start:end]
`,
      lines: [14],
      severity: 'information',
    },
    {
      name: 'scanners that resume where a slice or a search ended are linear (webpack css/html parsers, issue 13)',
      language: 'javascript',
      code: `const layersWritten = (text) => {
  const written = new Set();
  for (let i = 0; i < text.length; i++) {
    if (!text.startsWith("@layer", i)) continue;
    let end = i + "@layer".length;
    while (end < text.length && text.charCodeAt(end) !== 59) end++;
    for (const name of text.slice(i + "@layer".length, end).split(",")) written.add(name.trim());
    i = end;
  }
  return written;
};
const readSubset = (input, start, end) => {
  let pos = start;
  while (pos < end) {
    if (input.charCodeAt(pos) !== 60) { pos++; continue; }
    let i = skipSpace(input, pos + 2);
    const nameStart = i;
    const nameEnd = nameEndAt(input, i);
    i = skipSpace(input, nameEnd);
    const close = input.indexOf('"', i + 1);
    if (close === -1 || close > end) return;
    entities.set(input.slice(nameStart, nameEnd), input.slice(i + 1, close));
    i = close + 1;
    while (i < end && input.charCodeAt(i) !== 62) i++;
    pos = i + 1;
  }
};
`,
      lines: [],
    },
    {
      name: 'a search from the loop index that the loop does not skip past stays quadratic',
      language: 'javascript',
      code: `function pieces(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const j = s.indexOf(",", i);
    out.push(s.slice(i, j));
  }
  return out;
}
`,
      lines: [1],
    },
    {
      name: 'linear JavaScript is not reported',
      language: 'javascript',
      code: `function inBoth(a, b) {
  const s = new Set(b);
  return a.filter((x) => s.has(x));
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
`,
      lines: [],
    },
  ],
  create(ctx) {
    return {
      ':unit'() {
      if (!ctx.facts.estimatesNeeded()) return;
      for (const est of ctx.facts.estimates()) {
        const term = quadraticTerm(est.cost);
        if (!term) continue;
        const quadratic = est.cost.terms.filter((t) => t.e.size === 0 && inputDegree(t) >= 2);
        // Quadratic only through one call: the callee is where it is caused (and reported).
        if (term.chain.length > 0 && term.chain.every((s) => s.call)) continue;
        const anchor = est.shape.nameNode ?? est.shape.node;
        const steps: Step[] = [];
        for (const s of term.chain) if (!steps.some((x) => x.startIndex === s.startIndex && x.endIndex === s.endIndex)) steps.push(s);
        // No line numbers in the message: findings are cached per unit and only shifted when lines
        // are added above, so a line number would go stale. The related locations carry the lines.
        const chain = steps.map((s) => s.label).join(' × ');
        const display = formatCost({ terms: quadratic, lower: est.cost.lower, notes: [] }, est.naming.letters);
        const all = est.display !== display ? `; whole estimate ${est.display}` : '';
        ctx.report({
          node: anchor,
          message: `\`${est.name}\` is ${display}: ${chain || 'nested loops'}${legendText(est, quadratic)}${all}`,
          related: steps.map((s) => ({ node: s, message: s.label })),
        });
      }
      },
    };
  },
};
