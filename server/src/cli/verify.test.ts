// `hotpath check --verify`: a size-dependent finding is a warning only where its function,
// measured at growing sizes on synthesized inputs, grows faster than linearly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../analysis/rule';
import type { BenchmarkResult } from '../execution';
import { parseSource } from '../execution/extract';
import { languageById } from '../languages';
import { loadParserFactory } from '../parsing';
import { verificationOf } from './growthVerdict';
import { applyVerification, exponentialClaim, isCandidate, methodAsFunction, sandboxRefusal, statedCost, verifyFindings } from './verify';
import { nestedAsFunction } from './nestedFunction';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const finding = (severity: Finding['severity'], message: string): Finding => ({ code: 'HP102', severity, message, startIndex: 0, endIndex: 1, related: [] });

describe('check --verify: the decision', () => {
  it('candidates are warnings and information that asks to be measured, not dominated work', () => {
    assert.equal(isCandidate(finding('warning', '`q.pop(0)` … O(n²) overall')), true);
    assert.equal(isCandidate(finding('information', 'x; no evidence this grows with the input (a literal); measure it with Benchmark')), true);
    assert.equal(isCandidate(finding('information', 'x; the same iteration already does O(n) work (`a.index(b)`), so this adds a constant factor')), false);
    assert.equal(isCandidate(finding('information', '`f` is O(n²): loop × loop')), false);
    assert.equal(isCandidate(finding('error', 'invalid syntax')), false);
  });

  it('the measurement replaces the calibrated prior and sets the severity', () => {
    const calibrated = finding('information', '`q.pop(0)` …; the code shows it growing with the loop (`q` is grown in `for x in xs`), but growth of this kind stays small in most real code (a warning is kept for a work queue that a `while` loop drains); measure it with Benchmark');
    const up = applyVerification(calibrated, { status: 'confirmed', fn: 'f', complexity: 'O(n log n)', slope: 1.9, from: 4096, maxN: 8192, inputs: 'generated inputs (xs: list[int])' });
    assert.equal(up.severity, 'warning');
    assert.equal(up.message, "`q.pop(0)` …; the code shows it growing with the loop (`q` is grown in `for x in xs`); measured: `f`'s time grows as n^1.9 from n=4096 to 8192 (fitted O(n log n); generated inputs (xs: list[int]))");
    const down = applyVerification(finding('warning', '`q.pop(0)` … O(n²) overall; use collections.deque'), { status: 'refuted', fn: 'g', complexity: 'O(n)', slope: 1.02, from: 512, maxN: 1024, inputs: 'a doctest' });
    assert.equal(down.severity, 'information');
    assert.match(down.message, /use collections\.deque; measured: `g`'s time grows as n\^1\.0 from n=512 to 1024 \(fitted O\(n\); a doctest\), so this cost does not show up to that size$/);
    // A time that does not grow: the inputs may not reach the code, so no verdict.
    const flat = { complexity: 'O(1)', fit: { models: [{}], exponent: 0 }, points: [64, 128, 256].map((n) => ({ n, median: 5e-8, censored: false })), inputs: { kind: 'types', params: [{ name: 'self', type: '{ items: number[] }' }] } } as unknown as BenchmarkResult;
    assert.equal(verificationOf('Q.drain', flat).status, 'unmeasured');
    // Flat at the top although the fit says O(n) (tatsu Buffer.comments, round 7): no verdict either.
    const topFlat = { ...flat, complexity: 'O(n)', points: [[1024, 1e-6], [2048, 2e-6], [4096, 4e-6], [8192, 4.1e-6]].map(([n, median]) => ({ n, median, censored: false })) } as unknown as BenchmarkResult;
    assert.equal(verificationOf('Buffer.comments', topFlat).status, 'unmeasured');
    // Split by input: superlinear in one alone stays a warning; linear in each alone is a product of independent sizes.
    const base = { status: 'confirmed', fn: 'scrub', complexity: 'O(n^2)', slope: 2.0, from: 1024, maxN: 2048, inputs: 'generated inputs (blacklist: list[str], names: list[str])' } as const;
    const product = applyVerification(calibrated, { ...base, each: ['`blacklist` alone: n^0.8', '`names` alone: n^1.0'], at: 8 });
    assert.equal(product.severity, 'information');
    assert.match(product.message, /when all its inputs grow, but no faster than linearly with one growing and the others at size 8 \(`blacklist` alone: n\^0\.8; `names` alone: n\^1\.0\): a product of independent sizes, O\(n·m\), superlinear only if both grow$/);
    const alone = applyVerification(calibrated, { ...base, alone: 'names', at: 3 });
    assert.equal(alone.severity, 'warning');
    assert.match(alone.message, /; only `names` growing, the other inputs made at size 3\)$/);
    assert.equal(applyVerification(calibrated, { ...base, unseparated: 'growing `names` alone could not be measured (x)' }).severity, 'warning');
    // Superlinear, but the static estimate has other superlinear work (review 6, V1).
    const other = { status: 'unattributed', fn: 'mixed', complexity: 'O(n^2)', slope: 1.9, from: 1024, maxN: 2048, inputs: 'x', other: 'other superlinear work by its static estimate (loop × loop at line 8)' } as const;
    const elsewhere = applyVerification(finding('warning', 'w'), { ...other, own: false });
    assert.equal(elsewhere.severity, 'information');
    assert.match(elsewhere.message, /loop × loop at line 8\), and none through this line: the growth is not attributable to it$/);
    const shared = applyVerification(finding('warning', 'w'), { ...other, own: true });
    assert.equal(shared.severity, 'information');
    assert.match(shared.message, /not attributable to this line alone \(a warning by the static rules\)$/);
    // Round 9's contract: a warning needs a measurement; unmeasured says the static severity and why.
    const unmeasured = applyVerification(finding('warning', 'w'), { status: 'unmeasured', why: 'module-level code' });
    assert.deepEqual([unmeasured.severity, unmeasured.message], ['information', 'w; not measured: module-level code (a warning by the static rules; --verify warns only on a measured superlinear time)']);
    const info = applyVerification(finding('information', 'i'), { status: 'unmeasured', why: 'module-level code' });
    assert.deepEqual([info.severity, info.message], ['information', 'i; not measured: module-level code']);
    // Superlinear where the function itself says it is the naive variant: information.
    const documented = applyVerification(finding('warning', 'w'), { ...base, status: 'documented', said: 'its name, `delete_nth_naive`' });
    assert.equal(documented.severity, 'information');
    assert.match(documented.message, /; measured: `scrub`'s time grows as n\^2\.0 .*, and the function says so itself \(its name, `delete_nth_naive`\): a deliberate reference or illustration, not a cost to remove$/);
  });

  it('an exponential claim is not refuted by a linear time: the inputs did not reach the recursion', () => {
    const linear = { status: 'refuted', fn: 'backtrack', complexity: 'O(n)', slope: 1.0, from: 8192, maxN: 16384, inputs: 'generated inputs (nums: list[int], position: int)' } as const;
    const v = exponentialClaim(linear);
    assert.equal(v.status, 'unmeasured');
    assert.match(v.status === 'unmeasured' ? v.why : '', /grew as n\^1\.0 up to n=16384 .*not exponentially: the generated inputs may not reach the recursion$/);
    const confirmed = { ...linear, status: 'confirmed', complexity: 'O(2^n)', slope: 8 } as const;
    assert.equal(exponentialClaim(confirmed), confirmed);
  });

  it('a function documents its own cost by its name, its docstring or the comment above it, not by its module docstring', async () => {
    const parsers = await loadParserFactory('wasm');
    const said = (lang: 'python' | 'javascript', text: string, name: string) => {
      const exec = languageById(lang).execution;
      const root = parseSource(parsers, exec.grammar(lang === 'python' ? 'm.py' : 'm.js'), text);
      const fn = root.descendants().find((n) => n.child('name')?.text === name && /function|method/.test(n.type))!;
      return statedCost(fn, text);
    };
    assert.equal(said('python', 'def delete_nth_naive(xs, n):\n    return xs\n', 'delete_nth_naive'), 'its name, `delete_nth_naive`');
    assert.equal(said('python', 'def count(m, n):\n    """Naive recursive solution — O(2^(m+n))."""\n    return count(m - 1, n) + count(m, n - 1)\n', 'count'), 'its documentation: "Naive recursive solution — O(2^(m+n))."');
    assert.equal(said('python', '"""Time: O(n^3) (naive recursive per entry)"""\ndef hosoya(h, w):\n    """One entry."""\n    return 1\n', 'hosoya'), undefined);
    assert.equal(said('javascript', '// Brute force: O(n^2) pairs\nfunction pairs(xs) { return xs; }\n', 'pairs'), 'its documentation: "Brute force: O(n^2) pairs"');
    assert.equal(said('javascript', '/** Sorts the items. */\nexport function sort(xs) { return xs; }\n', 'sort'), undefined);
    assert.equal(said('javascript', '// O(n^2)\n\nfunction far(xs) { return xs; }\n', 'far'), undefined);
    // Review 7, R7-1: a stated cost the function avoids, and "naive" in its date/time sense, do not say it is the slow variant.
    assert.equal(said('python', 'def dedupe_fast(values):\n    """Keep the first of each value in linear time (avoids the O(n^2) scan)."""\n    return values\n', 'dedupe_fast'), undefined);
    assert.equal(said('python', 'def make_naive(values):\n    """Naive datetimes are compared as is."""\n    return values\n', 'make_naive'), undefined);
    assert.equal(said('python', 'def merge(xs):\n    """Sort tz-naive timestamps instead of the naive quadratic pass."""\n    return xs\n', 'merge'), undefined);
  });
});

describe('check --verify refuses to run code without a sandbox (review 6, V2)', () => {
  // Seam: `isolation: 'none'` stands for a machine where no sandbox works (auto falls back to the
  // same NO_ISOLATION there); detectIsolation itself is the real path.
  it('verifyFindings throws before running anything, unless unsandboxed runs are allowed', async () => {
    await assert.rejects(verifyFindings([], { parsers: undefined as never, isolation: 'none' }), /no sandbox is selected \(--isolation none\).*Pass --allow-unsandboxed/);
    assert.equal(sandboxRefusal('none', true), undefined);
  });

  it('the CLI exits 2 with the reason before checking, and runs with --allow-unsandboxed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-verify-'));
    writeFileSync(join(dir, 'a.py'), 'def drain(items):\n    q = list(items)\n    while q:\n        q.pop(0)\n');
    const refused = spawnSync(process.execPath, [CLI, 'check', dir, '--verify', '--isolation', 'none', '--no-cache', '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /--verify runs the checked code .* no sandbox is selected \(--isolation none\): it would run with your rights\. Pass --allow-unsandboxed to run it anyway/);
    assert.equal(refused.stdout, '');
    // Counting instructions needs valgrind: without it (a PATH that has none) every function would be
    // "not measured" and a gate on warnings would pass (review 14 S7), so it exits 2 before checking.
    const noValgrind = spawnSync(process.execPath, [CLI, 'check', dir, '--verify-instructions', '--isolation', 'none', '--allow-unsandboxed', '--no-cache', '--format', 'json'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: dir } });
    assert.equal(noValgrind.status, 2, noValgrind.stderr);
    assert.match(noValgrind.stderr, /--verify-instructions counts instructions with valgrind, which is not installed here/);
    assert.equal(noValgrind.stdout, '');
    const allowed = spawnSync(process.execPath, [CLI, 'check', dir, '--verify', '--isolation', 'none', '--allow-unsandboxed', '--no-cache', '--format', 'json', '--exit-zero', '--verify-function-ms', '300'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stderr, /hotpath check --verify: warning: .*/);
    assert.match(allowed.stderr, /verified 1 size-dependent finding through 1 function/);
    assert.match(allowed.stderr, /the measured functions ran NOT sandboxed/);
  });
});

describe('check --verify through the CLI (in the sandbox: it refuses without one)', () => {
  it('confirms a drained queue that grows with the input (in a function and in a method), refutes a bounded one (instruction counts: the same verdicts on every run)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-verify-'));
    writeFileSync(
      join(dir, 'm.py'),
      `def drain(items):
    queue = list(items)
    out = []
    while queue:
        out.append(queue.pop(0))
    return out


def heads(words):
    out = []
    for w in words:
        letters = list(w[:4])
        while letters:
            out.append(letters.pop(0))
    return out


class K:
    def run(self, items):
        q = list(items)
        while q:
            q.pop(0)


def scrub(blacklist: list[str], names: list[str]):
    out = []
    for name in names:
        if name in blacklist:
            continue
        out.append(name.strip().lower().replace(" ", "_").encode())
    return out


def dedupe(items: list[int], limit: int):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen[:limit]


def mixed(words):
    out = []
    for w in words:
        letters = list(w[:4])
        while letters:
            out.append(letters.pop(0))
    total = 0
    for a in words:
        for b in words:
            total += 1
    return out, total
`,
    );
    // Counted instructions, not time: timed, a busy machine's noise flattened `heads` (linear) to "no growth"
    // and `scrub`'s `names` alone likewise, in several runs (the tracker's CI of stop 33 included). The
    // counts and the sizes the sweeps reach (the budget counts instructions) are the same on every run,
    // so are the verdicts; only the wall time varies, hence a whole-verification budget far past what it needs.
    const r = spawnSync(process.execPath, [CLI, 'check', dir, '--verify-instructions', '--verify-function-ms', '2500', '--format', 'json', '--no-cache', '--exit-zero', '--select', 'HP102,HP101'], { encoding: 'utf8', timeout: 1_600_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { line: number; severity: string; message: string }[];
    const at = (line: number) => out.find((f) => f.line === line)!;
    assert.equal(at(5).severity, 'warning', at(5).message);
    assert.match(at(5).message, /measured: `drain`'s instruction count grows as n\^.* instructions a call at n=/);
    assert.equal(at(14).severity, 'information', at(14).message);
    assert.match(at(14).message, /measured: `heads`'s instruction count grows as n\^1\.0 .*so this cost does not show up to that size$/);
    // The method, copied out as a function of a K the engine builds.
    assert.equal(at(22).severity, 'warning', at(22).message);
    assert.match(at(22).message, /measured: `K\.run`'s instruction count grows as n\^.*self_: K.*; only `items` growing, the other inputs made at size 8\)$/);
    // A pair loop over two independent inputs: quadratic only when both grow, so information.
    assert.equal(at(28).severity, 'information', at(28).message);
    assert.match(at(28).message, /`names` alone: n\^.*a product of independent sizes, O\(n·m\), superlinear only if both grow$/);
    // A list grown from the same input it is scanned for: quadratic in `items` alone.
    assert.equal(at(37).severity, 'warning', at(37).message);
    assert.match(at(37).message, /only `items` growing, the other inputs made at size 8\)$/);
    // A bounded pop(0) beside an unrelated pair loop (review 6, V1, /tmp/r6/mixed.py): the function's
    // quadratic time is the pair loop's by the static estimate, so it does not make this a warning.
    assert.equal(at(47).severity, 'information', at(47).message);
    assert.match(at(47).message, /measured: `mixed`'s instruction count grows as n\^.*but the function also has other superlinear work by its static estimate \(loop over `words` × loop over `words` at line 49\), and none through this line: the growth is not attributable to it$/);
    // Sandboxed: without a sandbox --verify refuses (above); no unsandboxed-run warning here.
    assert.doesNotMatch(r.stderr, /warning: /);
    assert.match(r.stderr, /the measured functions ran sandboxed with /);
    assert.match(r.stderr, /verified 6 size-dependent findings through 6 functions: 4 measured superlinear \(3 warning, 1 superlinear only when independent inputs grow together: information\), 1 not \(information\), 1 in a function with other superlinear work .*, 0 not measured/);
  });
});

describe('check --verify through the CLI: JavaScript methods, static methods, nested functions, the run budget (review 6, V4)', () => {
  it('measures a JS method and static methods as functions, measures a nested function that is not a closure as a top-level copy and says why a closure is not measured, and names the budget when it runs out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-verify-'));
    writeFileSync(
      join(dir, 'set.js'),
      `class Bag {
  unique(items) {
    const seen = [];
    for (const x of items) {
      if (!seen.includes(x)) seen.push(x);
    }
    return seen;
  }
  static uniqueAll(items) {
    const seen = [];
    for (const x of items) {
      if (!seen.includes(x)) seen.push(x);
    }
    return seen;
  }
}
function dedupe(items) {
  function uniq(xs) {
    const seen = [];
    for (const x of xs) {
      if (!seen.includes(x)) seen.push(x);
    }
    return seen;
  }
  return uniq(items);
}
module.exports = { Bag, dedupe };
`,
    );
    writeFileSync(
      join(dir, 'n.py'),
      `class Tools:
    @staticmethod
    def unique(items: list[int]):
        seen = []
        for x in items:
            if x not in seen:
                seen.append(x)
        return seen


def outer(items: list[int]):
    def inner():
        seen = []
        for x in items:
            if x not in seen:
                seen.append(x)
        return seen
    return inner()


def outer2(items: list[int]):
    def inner2(xs: list[int]):
        seen = []
        for x in xs:
            if x not in seen:
                seen.append(x)
        return seen
    return inner2(items)
`,
    );
    const args = [CLI, 'check', dir, '--verify', '--format', 'json', '--no-cache', '--exit-zero', '--select', 'HP101,HP201'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { path: string; line: number; severity: string; message: string }[];
    const at = (file: string, line: number) => out.find((f) => f.path.endsWith(file) && f.line === line)!;
    // The JS method runs as a function of a Bag the engine builds; the static ones as plain functions.
    assert.equal(at('set.js', 5).severity, 'warning', at('set.js', 5).message);
    assert.match(at('set.js', 5).message, /measured: `Bag\.unique`'s time grows as n\^/);
    assert.equal(at('set.js', 12).severity, 'warning', at('set.js', 12).message);
    assert.match(at('set.js', 12).message, /measured: `Bag\.uniqueAll`'s time grows as n\^/);
    assert.equal(at('n.py', 6).severity, 'warning', at('n.py', 6).message);
    assert.match(at('n.py', 6).message, /measured: `Tools\.unique`'s time grows as n\^/);
    // A nested function that reads its enclosing function's names (a closure) is not run alone: information that names them.
    assert.equal(at('n.py', 15).severity, 'information', at('n.py', 15).message);
    assert.match(at('n.py', 15).message, /; not measured: it is a nested function that reads `items` of its enclosing `outer` \(a closure\), which the benchmark engine cannot run alone$/);
    // One that reads none runs as a top-level copy (round 10), in both languages.
    assert.equal(at('n.py', 25).severity, 'warning', at('n.py', 25).message);
    assert.match(at('n.py', 25).message, /measured: `outer2\.inner2`'s time grows as n\^/);
    assert.equal(at('set.js', 21).severity, 'warning', at('set.js', 21).message);
    assert.match(at('set.js', 21).message, /measured: `dedupe\.uniq`'s time grows as n\^/);
    // A budget that runs out: the functions after it are not measured, information that names the budget.
    const b = spawnSync(process.execPath, [...args, '--verify-budget', '0.001'], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(b.status, 0, b.stderr);
    const late = (JSON.parse(b.stdout) as { severity: string; message: string }[]).filter((f) => /; not measured: the verification budget \(0 s\) ran out before `/.test(f.message));
    assert.ok(late.length >= 2, b.stdout);
    assert.ok(late.every((f) => f.severity === 'information'));
  });
});

describe('check --verify copies methods and nested functions out whole (review 7)', () => {
  const parse = async (text: string) => {
    const parsers = await loadParserFactory('wasm');
    const exec = languageById('python').execution;
    return parseSource(parsers, exec.grammar('m.py'), text);
  };
  const fnNamed = (root: Awaited<ReturnType<typeof parse>>, name: string) => root.descendants().find((n) => n.type === 'function_definition' && n.child('name')?.text === name)!;

  it('a method whose signature spans several lines (R7-5): the copy parses and keeps every parameter', async () => {
    const text = 'class Tools:\n    @staticmethod\n    def unique(\n        items: list[int],\n        limit: int = 0,\n    ):\n        out = []\n        for x in items:\n            if x not in out:\n                out.append(x)\n        return out\n\n    def uniq(\n        self,\n        items: list[int],\n    ) -> list[int]:\n        return [x for x in items if x]\n';
    const root = await parse(text);
    for (const [name, params] of [['unique', /\(\s*items: list\[int\],\s*limit: int = 0,\s*\)/], ['uniq', /\(self_: Tools,\s*items: list\[int\],\s*\) -> list\[int\]:/]] as const) {
      const copy = methodAsFunction(fnNamed(root, name), text);
      assert.ok(copy?.wrapper, name);
      assert.match(copy.wrapper, params, name);
      const parsed = await parse(copy.wrapper);
      assert.ok(![...parsed.descendants()].some((n) => n.isError || n.isMissing), `${name}: ${copy.wrapper}`);
      assert.equal(parsed.namedChildren[0].child('name')?.text, `__hotpath_Tools_${name}`);
    }
  });

  it('a nested function that declares a name nonlocal is a closure (m10), not a copy that cannot compile', async () => {
    const text = 'def outer(xs):\n    count = 0\n    def inner(ys):\n        nonlocal count\n        count = 0\n        for y in ys:\n            count += 1\n        return count\n    return inner(xs)\n';
    const root = await parse(text);
    const copy = nestedAsFunction(fnNamed(root, 'inner'), text);
    assert.ok(copy && 'why' in copy);
    assert.match(copy.why, /reads `count` of its enclosing `outer` \(a closure\)/);
  });
});

describe('check --verify copies JavaScript and TypeScript methods by their syntax (review 7 minors)', () => {
  const parse = async (text: string, file = 'm.ts') => {
    const parsers = await loadParserFactory('wasm');
    const exec = languageById(file.endsWith('.ts') ? 'typescript' : 'javascript').execution;
    return parseSource(parsers, exec.grammar(file), text);
  };
  const methods = async (text: string, file?: string) => (await parse(text, file)).descendants().filter((n) => n.type === 'method_definition');

  it("reads TypeScript's `public static` as static, and names a static copy apart from an instance method of the same name", async () => {
    const text = 'export class Bag {\n  items: number[] = [];\n  public static async unique(xs: number[]): Promise<number[]> {\n    return this.dedupe(xs);\n  }\n  public unique(xs: number[]): number[] {\n    return xs.filter((x) => this.items.indexOf(x) < 0);\n  }\n  static dedupe(xs: number[]) { return xs; }\n}\n';
    const [stat, inst] = await methods(text);
    const s = methodAsFunction(stat, text)!;
    const i = methodAsFunction(inst, text)!;
    assert.equal(s.wrapper, 'async function __hotpath_Bag$static$unique(xs: number[]) {\n    return Bag.dedupe(xs);\n  }\n');
    assert.equal(i.wrapper, 'function __hotpath_Bag_unique(self, xs: number[]) {\n    return xs.filter((x) => self.items.indexOf(x) < 0);\n  }\n');
    assert.notEqual(s.name, i.name);
    for (const copy of [s, i]) assert.ok(![...(await parse(copy.wrapper!)).descendants()].some((n) => n.isError || n.isMissing), copy.wrapper);
  });

  it("replaces the method's own `this` only: not in strings, comments, or a nested function that binds its own", async () => {
    const text = 'class Log {\n  *lines(xs) {\n    // this is a comment\n    const self2 = this;\n    const f = function () { return this; };\n    for (const x of xs) yield `${this.prefix} this ${x}` + "this";\n  }\n}\n';
    const [m] = await methods(text, 'm.js');
    const copy = methodAsFunction(m, text)!;
    assert.equal(copy.wrapper, 'function* __hotpath_Log_lines(self, xs) {\n    // this is a comment\n    const self2 = self;\n    const f = function () { return this; };\n    for (const x of xs) yield `${self.prefix} this ${x}` + "this";\n  }\n');
  });

  it('leaves accessors and TypeScript accessors with modifiers alone', async () => {
    const text = 'class A {\n  private get size(): number { return 1; }\n  public static set mode(v: string) {}\n}\n';
    for (const m of await methods(text)) assert.equal(methodAsFunction(m, text), null, m.text);
  });
});
