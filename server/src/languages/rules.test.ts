// Every rule's own fixtures, run through the real analyzer on both parser backends: the
// reported lines, the text after applying the fixes (which must parse), and, when a fixture
// gives a `call`, the same printed result from the original and the fixed code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it, before } from 'node:test';
import { analyzeText } from '../analysis/analyzeText';
import type { Finding, Fixture, Rule } from '../analysis/rule';
import { loadNativeBackend } from '../parsing/native';
import { loadWasmBackend } from '../parsing/wasm';
import { snapshot, type ParserFactory } from '../parsing';
import { allRules, languageById } from '.';
import { applyReplacements } from '../analysis/fixes';

let wasm: ParserFactory;
const native = loadNativeBackend().factory;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function findingsOf(rule: Rule, fx: Fixture, factory: ParserFactory): Finding[] {
  return analyzeText(languageById(fx.language), factory, fx.code).filter((f) => f.code === rule.code);
}

function parsesCleanly(fx: Fixture, text: string): boolean {
  const parser = wasm.create(languageById(fx.language).grammar);
  const tree = parser.parse(text);
  const root = snapshot(tree.rootNode.walk(), text);
  tree.dispose();
  for (const n of root.descendants()) if (n.isError || n.isMissing) return false;
  return true;
}

function run(fx: Fixture, code: string): string {
  if (fx.language === 'python') {
    const r = spawnSync('python3', ['-c', `${code}\nprint(repr(${fx.call}))`], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, `python3 failed: ${r.stderr}`);
    return r.stdout;
  }
  const program = `${code}\n;(async () => console.log(require('node:util').inspect(await (${fx.call}), { depth: 10 })))();`;
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', program], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `node failed: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  wasm = await loadWasmBackend();
});

describe('rule catalog', () => {
  it('has unique codes and names', () => {
    const rules = allRules();
    assert.equal(new Set(rules.map((r) => r.code)).size, rules.length);
    assert.equal(new Set(rules.map((r) => r.name)).size, rules.length);
  });
  it('has one file per rule, named after the rule, each listed in the registry (rules.ts)', async () => {
    // languages/<folder>/rules/*.ts and complexity/rules/*.ts, less the tests, shared helpers and a rule's fixtures held beside it (<rule>.fixtures.ts).
    const dirs = [...readdirSync(__dirname, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(__dirname, d.name, 'rules')), join(__dirname, '..', 'complexity', 'rules')];
    const files = dirs.flatMap((dir) => {
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.fixtures.ts') && f !== 'shared.ts').map((f) => join(dir, f));
      } catch {
        return [];
      }
    });
    const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const registered = new Set(allRules());
    const seen = new Set<Rule>();
    for (const file of files) {
      const exported = Object.values((await import(file)) as Record<string, unknown>).filter((v): v is Rule => typeof v === 'object' && v !== null && 'code' in v && 'fixtures' in v);
      assert.equal(exported.length, 1, `${file} exports exactly one rule`);
      const [rule] = exported;
      assert.equal(basename(file, '.ts'), camel(rule.name), `${file} is named after its rule ${rule.name}`);
      assert.ok(registered.has(rule), `${rule.code} ${rule.name} is listed in languages/rules.ts`);
      seen.add(rule);
    }
    assert.deepEqual([...registered].filter((r) => !seen.has(r)).map((r) => r.code), [], 'every registered rule has its own file');
  });
  for (const rule of allRules()) {
    describe(`${rule.code} ${rule.name}`, () => {
      it('is documented, with positive and negative fixtures', () => {
        assert.match(rule.code, /^HP\d{3}$/);
        assert.ok(rule.summary.length > 10 && rule.docs.length > 100 && rule.cost.includes('O('));
        assert.ok(rule.fixtures.some((f) => f.lines.length > 0), 'needs a positive fixture');
        assert.ok(rule.fixtures.some((f) => f.lines.length === 0), 'needs a negative fixture');
      });
      for (const fx of rule.fixtures) {
        it(`${fx.name} (${fx.language})`, () => {
          const found = findingsOf(rule, fx, wasm);
          assert.deepEqual(found.map((f) => lineOf(fx.code, f.startIndex)), fx.lines, 'reported lines');
          assert.deepEqual(found.map((f) => f.severity), fx.severities ?? found.map(() => fx.severity ?? rule.severity), 'severity');
          if (native) assert.deepEqual(findingsOf(rule, fx, native), found, 'native and wasm backends agree');
          if (fx.fixed !== undefined) {
            const fixes = found.flatMap((f) => (f.fix ? [f.fix] : []));
            assert.ok(fixes.length > 0, 'fixture expects a fix');
            const fixed = applyReplacements(fx.code, fixes.flatMap((f) => f.replacements));
            assert.equal(fixed, fx.fixed);
            assert.ok(parsesCleanly(fx, fixed), 'fixed code parses');
            assert.deepEqual(findingsOf(rule, { ...fx, code: fixed }, wasm), [], 'fixed code has no finding of this rule');
            if (fx.call) assert.equal(run(fx, fixed), run(fx, fx.code), 'same behaviour before and after the fix');
          }
        });
      }
    });
  }
});
