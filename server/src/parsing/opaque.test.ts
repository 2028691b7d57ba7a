// Opaque literals (opaque.ts): a parser's snapshot of a unit leaves string literals' tokens uncopied;
// walks of the code (codeChildren, descendants) do not meet them, `children` loads them exactly as a
// full copy has them, and a snapshot whose tree was freed or edited throws rather than answer empty.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadNativeBackend } from './native';
import { opaqueLiteralsOf } from './opaque';
import type { GrammarName, ParserFactory } from './parser';
import { snapshot, type SyntaxNode } from './syntax';
import { loadWasmBackend } from './wasm';
import { python } from '../languages/python';
import { EMPTY_MODULE } from '../analysis/module';
import type { Rule } from '../analysis/rule';
import { runRules } from '../analysis/runRules';
import { consumedPrefix as pythonConsumedPrefix } from '../languages/python/loops';
import { consumedPrefix as ecmascriptConsumedPrefix, type Loop } from '../languages/ecmascript/loops';

const PYTHON = 'def f(xs):\n    """Doc\\tstring."""\n    s = b"a\\x00" + r\'\\d\' + "x"\n    return f"{len(xs)!r:>{w}}" + s\n';
const JS = 'const s = "a\\n" + \'b\' + `t${x.length}`;\n';

function shape(node: SyntaxNode): unknown {
  return [node.type, node.isNamed, node.field, node.startIndex, node.endIndex, node.children.map(shape)];
}

function all(root: SyntaxNode, pick: (n: SyntaxNode) => readonly SyntaxNode[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    const kids = pick(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

describe('opaque literals', () => {
  let wasm: ParserFactory;
  const native = loadNativeBackend();
  before(async () => {
    wasm = await loadWasmBackend();
  });
  const factories = (): ParserFactory[] => [wasm, native.factory].filter((f): f is ParserFactory => f !== null);

  for (const [grammar, text, opaque, code] of [
    ['python', PYTHON, ['"""Doc\\tstring."""', 'b"a\\x00"', "r'\\d'", '"x"'], 'f"{len(xs)!r:>{w}}"'],
    ['javascript', JS, ['"a\\n"', "'b'"], '`t${x.length}`'],
  ] as [GrammarName, string, string[], string][]) {
    it(`${grammar}: a unit's strings are opaque (f-strings and templates are not); reading their children gives a full copy's`, () => {
      for (const factory of factories()) {
        const parser = factory.create(grammar);
        const tree = parser.parse(text);
        const unit = parser.snapshot(tree.rootNode.namedChildren[0]!, text);
        const walked = unit.descendants();
        assert.deepEqual(walked.filter((n) => n.isOpaque).map((n) => n.text), opaque, factory.backend);
        assert.ok(walked.every((n) => ![...n.ancestors()].some((a) => a.isOpaque)), `${factory.backend}: the walk enters no opaque literal`);
        assert.ok(walked.some((n) => n.text === code && !n.isOpaque), `${factory.backend}: ${code} is walked into`);
        assert.ok(walked.some((n) => n.type === 'call' || n.type === 'member_expression'), `${factory.backend}: the code inside ${code} is walked`);
        for (const n of walked.filter((w) => w.isOpaque)) assert.deepEqual(n.codeChildren, []);
        // Reading `children` loads the tokens: the same nodes, fields and parents as a full copy.
        const full = snapshot(tree.rootNode.namedChildren[0]!.walk(), text);
        assert.deepEqual(shape(unit), shape(full), factory.backend);
        const every = all(unit, (n) => n.children);
        assert.equal(every.length, all(full, (n) => n.children).length);
        for (const n of every) for (const c of n.children) assert.equal(c.parent, n);
        // Loaded or not, an opaque literal has no code children (walks give the same nodes either way).
        assert.deepEqual(unit.descendants(), walked);
        tree.dispose();
      }
    });
  }

  it('reading an unread opaque literal throws once its tree was freed or edited (never answers empty)', () => {
    for (const factory of factories()) {
      const parser = factory.create('python');
      const tree = parser.parse(PYTHON);
      const unit = parser.snapshot(tree.rootNode.namedChildren[0]!, PYTHON);
      const [doc, other] = unit.descendants().filter((n) => n.isOpaque);
      assert.equal(doc.children.length, 3); // string_start, string_content, string_end: read while the tree is intact
      tree.edit({ startIndex: 0, oldEndIndex: 0, newEndIndex: 1, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 0, column: 1 } });
      assert.throws(() => other.children, /freed or edited/, factory.backend);
      assert.equal(doc.children.length, 3, 'children read before stay');
      tree.dispose();
    }
    const parser = wasm.create('python');
    const tree = parser.parse(PYTHON);
    const unit = parser.snapshot(tree.rootNode.namedChildren[0]!, PYTHON);
    tree.dispose();
    const literal = unit.descendants().find((n) => n.isOpaque)!;
    assert.throws(() => literal.namedChildren, /freed or edited/);
    assert.equal(literal.text, '"""Doc\\tstring."""', 'its text is still there');
  });

  it('a unit with a syntax error, or a copy through a bare cursor, keeps every string token', () => {
    const broken = 'def f(xs):\n    s = "a" + (\n    return s\n';
    for (const factory of factories()) {
      const parser = factory.create('python');
      const tree = parser.parse(broken);
      assert.ok(tree.rootNode.hasError);
      const unit = parser.snapshot(tree.rootNode.namedChildren[0]!, broken);
      assert.ok(unit.descendants().every((n) => !n.isOpaque), factory.backend);
      assert.ok(snapshot(tree.rootNode.walk(), broken).descendants().some((n) => n.type === 'string_content'));
      tree.dispose();
    }
  });

  it("a snapshot's `order` lists its nodes as descendants() does (opaque literals, f-strings, errors, a real file's units)", () => {
    const broken = 'def f(xs):\n    s = "a" + (\n    return s\n';
    const real = readFileSync('/usr/lib/python3.11/json/decoder.py', 'utf8');
    for (const factory of factories()) {
      for (const [grammar, text] of [['python', PYTHON], ['javascript', JS], ['python', broken], ['python', real]] as [GrammarName, string][]) {
        const parser = factory.create(grammar);
        const tree = parser.parse(text);
        let units = 0;
        for (const raw of tree.rootNode.namedChildren) {
          const order: SyntaxNode[] = [];
          const unit = parser.snapshot(raw!, text, order);
          assert.equal(order.length, unit.descendants().length, `${factory.backend} ${grammar}`);
          assert.ok(order.every((n, i) => n === unit.descendants()[i]), `${factory.backend} ${grammar}: same nodes, same order`);
          units++;
        }
        assert.ok(units > 0);
        tree.dispose();
      }
    }
  });

  it("consumedPrefix's walks (Python, JavaScript) do not enter strings: no token loaded, the same answer after the tree is freed", () => {
    for (const factory of factories()) {
      const py = 'while q:\n    x = q.pop(0)\n    if x == "stop":\n        break\n';
      let parser = factory.create('python');
      let tree = parser.parse(py);
      const pyLoop = parser.snapshot(tree.rootNode.namedChildren[0]!, py);
      tree.dispose();
      assert.equal(pythonConsumedPrefix(pyLoop), 'q', factory.backend);
      const js = 'while (q.length) { const x = q.shift(); if (x === "stop") break; }\n';
      parser = factory.create('javascript');
      tree = parser.parse(js);
      const jsLoop = parser.snapshot(tree.rootNode.namedChildren[0]!, js);
      tree.dispose();
      assert.equal(ecmascriptConsumedPrefix({ node: jsLoop, kind: 'statement' } as Loop), 'q', factory.backend);
    }
  });

  it('a rule that visits a token inside a string fails loudly (the walk never enters them)', () => {
    const parser = wasm.create('python');
    const tree = parser.parse(PYTHON);
    const unit = parser.snapshot(tree.rootNode.namedChildren[0]!, PYTHON);
    const failures: { code: string; error: unknown }[] = [];
    const visits: Rule = { code: 'T1', name: 't1', languages: ['python'], severity: 'warning', summary: '', cost: '', docs: '', fixtures: [], create: () => ({ string_content: () => undefined }) };
    runRules(python, PYTHON, unit, EMPTY_MODULE, { rules: [visits], onFailure: (f) => failures.push(f) });
    assert.equal(failures.length, 1);
    assert.match(String(failures[0].error), /T1 visits string_content nodes/);
    tree.dispose();
  });

  it("every node type a grammar puts under `string` is listed as inner (node-types.json)", { skip: existsSync(join(__dirname, '..', '..', '..', 'node_modules', 'tree-sitter-python', 'src', 'node-types.json')) ? false : 'grammar sources not installed' }, () => {
    const modules = join(__dirname, '..', '..', '..', 'node_modules');
    const sources: [GrammarName, string][] = [
      ['python', 'tree-sitter-python/src/node-types.json'],
      ['javascript', 'tree-sitter-javascript/src/node-types.json'],
      ['typescript', 'tree-sitter-typescript/typescript/src/node-types.json'],
      ['tsx', 'tree-sitter-typescript/tsx/src/node-types.json'],
    ];
    for (const [grammar, path] of sources) {
      const types = JSON.parse(readFileSync(join(modules, path), 'utf8')) as { type: string; named: boolean; children?: { types: { type: string }[] } }[];
      const literals = opaqueLiteralsOf(grammar);
      const under = (type: string): string[] => (types.find((t) => t.type === type && t.named)?.children?.types ?? []).map((t) => t.type);
      const seen = new Set<string>();
      const queue = [...literals.types].flatMap(under);
      while (queue.length > 0) {
        const t = queue.pop()!;
        if (seen.has(t) || t === 'interpolation') continue;
        seen.add(t);
        queue.push(...under(t));
      }
      // `interpolation` (Python f-strings) holds code: such a string is never opaque.
      for (const t of seen) if (t !== 'interpolation') assert.ok(literals.inner.has(t), `${grammar}: ${t}`);
    }
  });
});
