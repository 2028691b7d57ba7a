// The architecture as tests (docs/ARCHITECTURE.md): no import circles and no import from a lower
// layer into a higher one (dependency-cruiser, rules in .dependency-cruiser.cjs), no branching on a
// language's name outside languages/, no source file over about 500 lines without a stated reason.
// Known exceptions are listed below with their owners; an exception that is gone must be removed
// from its list, so the lists only shrink.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..');

/** Violations owned by other parts of issue 14, still to be fixed there (`from → to (rule)`). */
const KNOWN_VIOLATIONS = new Set<string>([
]);

/** Files outside languages/ that still compare a language's name (owner: the file's area). */
const KNOWN_LANGUAGE_BRANCHES = new Set<string>([]);

/** Source files over 500 lines, with the reason they are one file. */
const LONG_FILES: Record<string, string> = {
  'server/src/languages/python/execution/harness.ts': 'one Python program (the harness a sandboxed run executes) held as the text written to the run folder: inputs, encodings, the measure/run/instr commands share its closure',
  'server/src/languages/python/complexity.ts': "one table: how the estimator reads each Python construct (classify, sizes, updates); split by construct it would scatter one switch",
  'server/src/languages/ecmascript/complexity.ts': 'the same table for JavaScript/TypeScript',
  'server/src/languages/python/execution/usage.ts': 'one recursive walk: what each Python expression and statement says about the type of the values it touches (the input inference of issue 17); split by construct it would scatter one closure over the shared facts',
  'server/src/languages/ecmascript/execution/usage.ts': 'the same walk for JavaScript/TypeScript (array, string, Map/Set methods, lodash, callbacks)',
  'server/src/languages/python/scope.ts': "Python's name resolution (scopes, bindings, what value reaches a use): one algorithm",
  'server/src/model/embedded/kv/session.ts': "one class: KvSession's sync and repair and kv-bench's measurement hooks (probe, adopt, openFrom) all read and move the same private cell bookkeeping (exact, frontier, layout, the two sequences); split, that bookkeeping would have to be public",
};

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) sources(path, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

describe('architecture', () => {
  it('has no import circle and no import from a lower layer into a higher one', () => {
    const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const r = spawnSync(process.execPath, [cli, 'server/src', 'client/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const result = JSON.parse(r.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string }; cycle?: { name: string }[] }[]; totalCruised: number } };
    assert.ok(result.summary.totalCruised > 100, 'the cruise saw the sources');
    const found = result.summary.violations.map((v) => (v.rule.name === 'no-circular' ? `circle: ${[v.from, ...(v.cycle ?? []).map((c) => c.name)].join(' → ')}` : `${v.from} → ${v.to} (${v.rule.name})`));
    assert.deepEqual(found.filter((v) => !KNOWN_VIOLATIONS.has(v)), [], 'new violations');
    assert.deepEqual([...KNOWN_VIOLATIONS].filter((v) => !found.includes(v)), [], 'fixed: remove them from KNOWN_VIOLATIONS');
  });

  it('branches on a language only inside languages/ (the engine asks the spec)', () => {
    const branch = /(?:===|!==)\s*'(?:python|javascript|typescript|tsx)'|'(?:python|javascript|typescript|tsx)'\s*(?:===|!==)/;
    const found = sources(join(root, 'server', 'src'))
      .filter((f) => !f.startsWith('server/src/languages/'))
      .filter((f) => branch.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(found.filter((f) => !KNOWN_LANGUAGE_BRANCHES.has(f)), [], 'new language branches outside languages/');
    assert.deepEqual([...KNOWN_LANGUAGE_BRANCHES].filter((f) => !found.includes(f)), [], 'fixed: remove them from KNOWN_LANGUAGE_BRANCHES');
  });

  // The build (esbuild) strips types without checking them, so a type error would land unseen (one did: review 7).
  it('type-checks (tsc -p . --noEmit)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', '.', '--noEmit'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
  });

  it('keeps source files under about 500 lines, or says why not', () => {
    const long = [...sources(join(root, 'server', 'src')), ...sources(join(root, 'client', 'src'))].filter((f) => readFileSync(join(root, f), 'utf8').split('\n').length > 520);
    assert.deepEqual(long.filter((f) => !(f in LONG_FILES)), [], 'over 500 lines without a reason in LONG_FILES');
    assert.deepEqual(Object.keys(LONG_FILES).filter((f) => !long.includes(f)), [], 'no longer long: remove from LONG_FILES');
  });
});
