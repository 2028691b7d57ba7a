// The speed-ups the Python quick fixes promise, measured: each rule's loop against the rewrite its fix
// writes (and the rewrites it does not write, to show why), at 1 and 1,000 items, in one python3
// process, interleaved, best of 7 repeats of timeit. The rule messages quote these ratios.
//
//   npm run bench -- fixes
//   HOTPATH_FIXES_PYTHON=/usr/bin/python3.12   another interpreter
import { spawnSync } from 'node:child_process';

interface Variant {
  name: string;
  /** Body of `def f(src, out)`; `src` is a list of ints, `out` the existing container for in-place forms. */
  code: string;
  /** The container passed as `out` ('list' holds 3 items, 'dict' 3 keys). */
  out?: 'list' | 'dict';
}

interface Case {
  rule: string;
  what: string;
  baseline: Variant;
  variants: Variant[];
}

const CASES: Case[] = [
  {
    rule: 'HP108',
    what: 'append a transformed item to a new list',
    baseline: { name: 'loop', code: 'r = []\n    for x in src:\n        r.append(x * 2)\n    return r' },
    variants: [{ name: 'list comprehension (the fix)', code: 'return [x * 2 for x in src]' }],
  },
  {
    rule: 'HP108',
    what: 'append to a list that already holds items',
    baseline: { name: 'loop', code: 'for x in src:\n        out.append(x * 2)\n    return out', out: 'list' },
    variants: [
      { name: 'extend([comprehension]) (the fix)', code: 'out.extend([x * 2 for x in src])\n    return out', out: 'list' },
      { name: 'extend(generator) (not offered)', code: 'out.extend(x * 2 for x in src)\n    return out', out: 'list' },
    ],
  },
  {
    rule: 'HP109',
    what: 'copy every item into a list that already holds items',
    baseline: { name: 'loop', code: 'for x in src:\n        out.append(x)\n    return out', out: 'list' },
    variants: [{ name: 'extend(src) (the fix)', code: 'out.extend(src)\n    return out', out: 'list' }],
  },
  {
    rule: 'HP110',
    what: 'fill a new dict',
    baseline: { name: 'loop', code: 'd = {}\n    for i, x in enumerate(src):\n        d[x] = i\n    return d' },
    variants: [{ name: 'dict comprehension (the fix)', code: 'return {x: i for i, x in enumerate(src)}' }],
  },
  {
    rule: 'HP110',
    what: 'fill a dict that already holds items',
    baseline: { name: 'loop', code: 'for i, x in enumerate(src):\n        out[x] = i\n    return out', out: 'dict' },
    variants: [
      { name: 'update({comprehension}) (not offered)', code: 'out.update({x: i for i, x in enumerate(src)})\n    return out', out: 'dict' },
      { name: 'update(generator) (not offered)', code: 'out.update((x, i) for i, x in enumerate(src))\n    return out', out: 'dict' },
    ],
  },
  {
    rule: 'HP106',
    what: 'iterate items() using only the keys',
    baseline: { name: 'items()', code: 't = 0\n    for k, v in out.items():\n        t += k\n    return t', out: 'dict' },
    variants: [{ name: 'keys (the fix)', code: 't = 0\n    for k in out:\n        t += k\n    return t', out: 'dict' }],
  },
];

const SIZES = [1, 1000];

function program(): string {
  const lines = ['import timeit, json', 'res = {}'];
  CASES.forEach((c, ci) => {
    [c.baseline, ...c.variants].forEach((v, vi) => {
      lines.push(`def f_${ci}_${vi}(src, out):\n    ${v.code}\n`);
    });
  });
  lines.push(`SIZES = ${JSON.stringify(SIZES)}`);
  lines.push(`CASES = ${JSON.stringify(CASES.map((c) => [c.baseline, ...c.variants].map((v) => v.out ?? "")))}`);
  lines.push(`
for n in SIZES:
    src = list(range(n))
    for ci, outs in enumerate(CASES):
        fs = [globals()[f'f_{ci}_{vi}'] for vi in range(len(outs))]
        def make(vi):
            o = outs[vi]
            if o == 'list':
                return lambda: fs[vi](src, [1, 2, 3])
            if o == 'dict':
                d = {i: i for i in range(n)} if ci == ${CASES.findIndex((c) => c.rule === 'HP106')} else {-1: 0, -2: 0, -3: 0}
                return lambda: fs[vi](src, dict(d) if ci != ${CASES.findIndex((c) => c.rule === 'HP106')} else d)
            return lambda: fs[vi](src, None)
        calls = [make(vi) for vi in range(len(outs))]
        number = max(1, 200000 // max(n, 1))
        best = [float('inf')] * len(calls)
        for _ in range(7):
            for vi, call in enumerate(calls):
                best[vi] = min(best[vi], timeit.timeit(call, number=number) / number)
        res[f'{ci}:{n}'] = best
print(json.dumps(res))
`);
  return lines.join('\n');
}

function main(): void {
  const python = process.env.HOTPATH_FIXES_PYTHON ?? 'python3';
  const version = spawnSync(python, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(python, ['-c', program()], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(r.stderr);
  const res = JSON.parse(r.stdout) as Record<string, number[]>;
  console.log(`Python ${version}; time per call, best of 7; ratio = loop time / variant time (above 1: the variant is faster).\n`);
  console.log('| rule | case | variant | n = 1 | n = 1,000 |');
  console.log('|---|---|---|---:|---:|');
  CASES.forEach((c, ci) => {
    c.variants.forEach((v, vi) => {
      const cells = SIZES.map((n) => {
        const [base, ...rest] = res[`${ci}:${n}`];
        const t = rest[vi];
        return `${(base / t).toFixed(2)}× (${(base * 1e6).toFixed(2)} → ${(t * 1e6).toFixed(2)} µs)`;
      });
      console.log(`| ${c.rule} | ${c.what} | ${v.name} | ${cells.join(' | ')} |`);
    });
  });
}

if (require.main === module) main();
