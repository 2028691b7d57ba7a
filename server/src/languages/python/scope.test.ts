// Name-kind inference and loop helpers on small snippets (both rules and fixes depend on them).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { UnitContext } from '../../analysis/rule';
import { EMPTY_MODULE } from '../../analysis/module';
import { snapshot, type ParserFactory, type SyntaxNode } from '../../parsing';
import { loadWasmBackend } from '../../parsing/wasm';
import { enclosingLoops } from './loops';
import { isLoopInvariant } from './mutation';
import { isDataSized, isReadAfterBinding, nameInfo, onlyBindingKind } from './scope';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['python']);
});

function parse(code: string): { root: SyntaxNode; ctx: UnitContext } {
  const tree = wasm.create('python').parse(code);
  const root = snapshot(tree.rootNode.walk(), code);
  tree.dispose();
  const unit = root.namedChildren[0];
  // What the engine computes from the other units: identifiers mentioned after an offset.
  const mentionedAfter = (offset: number, name: string) => [...root.descendants()].some((n) => n.type === 'identifier' && n.text === name && n.startIndex >= offset);
  return { root, ctx: { language: 'python', source: code, unit, nodes: unit.descendants(), module: { bindings: new Map([['MODULE_LIST', 'list']]), mentionedAfter, setupPath: () => null, nameFacts: EMPTY_MODULE.nameFacts }, report: () => undefined } };
}

/** The last identifier `name` in the code (the use under test). */
function use(root: SyntaxNode, name: string): SyntaxNode {
  const all = [...root.descendants()].filter((n) => n.type === 'identifier' && n.text === name);
  return all[all.length - 1];
}

function kindAt(code: string, name: string): string {
  const { root, ctx } = parse(code);
  return nameInfo(ctx, name, use(root, name)).kind;
}

describe('python name kinds', () => {
  it('reads local assignments, annotations and the module', () => {
    assert.equal(kindAt('def f(xs):\n    a = list(xs)\n    for x in xs:\n        a\n', 'a'), 'list');
    assert.equal(kindAt('def f(a: list[int]):\n    a\n', 'a'), 'list');
    assert.equal(kindAt('def f(a: List[int]):\n    a\n', 'a'), 'list');
    assert.equal(kindAt('def f(a: Sequence[int]):\n    a\n', 'a'), 'unknown');
    assert.equal(kindAt('def f(a):\n    a\n', 'a'), 'unknown');
    assert.equal(kindAt('def f():\n    MODULE_LIST\n', 'MODULE_LIST'), 'list');
    assert.equal(kindAt('def f(s: str):\n    s\n', 's'), 'str');
  });
  it('is unknown when a conditional or non-preserving binding reaches the use', () => {
    assert.equal(kindAt('def f(c):\n    if c:\n        a = []\n    for x in c:\n        a\n', 'a'), 'unknown');
    assert.equal(kindAt('def f(xs):\n    a = []\n    for x in xs:\n        a = x\n        a\n', 'a'), 'unknown');
    assert.equal(kindAt('def f(xs):\n    a = []\n    for x in xs:\n        a += [x]\n        a\n', 'a'), 'list');
    assert.equal(kindAt('def f(xs):\n    global a\n    a\n', 'a'), 'unknown');
  });
  it('tells constant-size literals from data-sized lists', () => {
    const sized = (code: string) => {
      const { root, ctx } = parse(code);
      return isDataSized(nameInfo(ctx, 'a', use(root, 'a')), 'a');
    };
    assert.equal(sized("def f(xs):\n    a = ['x', 'y']\n    for x in xs:\n        a\n"), false);
    assert.equal(sized('def f(xs):\n    a = []\n    for x in xs:\n        a.append(x)\n        a\n'), true);
    assert.equal(sized('def f(xs):\n    a = sorted(xs)\n    for x in xs:\n        a\n'), true);
  });
  it("resolves like Ruff's only_binding: the binding before the use must shadow none", () => {
    const kind = (code: string, name: string) => {
      const { root, ctx } = parse(code);
      const first = [...root.descendants()].find((n) => n.type === 'identifier' && n.text === name && n.parent?.type === 'attribute')!;
      return onlyBindingKind(ctx, name, first);
    };
    assert.equal(kind('def f(xs):\n    a = []\n    for x in xs:\n        a.append(x)\n    a = 1\n', 'a'), 'list');
    assert.equal(kind('def f(xs):\n    a = 1\n    a = []\n    for x in xs:\n        a.append(x)\n', 'a'), 'unknown');
  });
  it('sees a read that follows a store on the same line (`x = str(x)`)', () => {
    const { root, ctx } = parse('def f(d):\n    for k, v in d.items():\n        k = str(k)\n        print(v)\n');
    const k = [...root.descendants()].find((n) => n.type === 'identifier' && n.text === 'k')!;
    assert.equal(isReadAfterBinding(ctx, k, 'k'), true);
  });
});

describe('python loops', () => {
  it('knows which parts of a loop repeat', () => {
    const { root } = parse('def f(xs, ys):\n    for x in sorted(ys):\n        y = [a for a in xs if a in ys]\n');
    const sortedCall = [...root.descendants()].find((n) => n.type === 'call' && n.text.startsWith('sorted'))!;
    assert.equal(enclosingLoops(sortedCall).length, 0, 'the iterable is evaluated once');
    const inner = use(root, 'ys');
    assert.equal(enclosingLoops(inner).length, 2, 'comprehension condition inside the for body');
  });
  it('decides invariance conservatively', () => {
    const inv = (code: string) => {
      const { root } = parse(code);
      const loop = [...root.descendants()].find((n) => n.type === 'for_statement')!;
      const arg = [...root.descendants()].find((n) => n.type === 'call' && n.child('function')?.text === 'set')!.child('arguments')!.namedChildren[0];
      return isLoopInvariant(arg, loop);
    };
    assert.equal(inv('def f(xs, ys):\n    for x in xs:\n        set(ys)\n'), true);
    assert.equal(inv('def f(xs, ys):\n    for x in xs:\n        ys.append(x)\n        set(ys)\n'), false);
    assert.equal(inv('def f(xs, ys):\n    for x in xs:\n        helper(ys)\n        set(ys)\n'), false);
    assert.equal(inv('def f(self, xs):\n    for x in xs:\n        self.g()\n        set(self.ys)\n'), false);
    assert.equal(inv('def f(xs):\n    for x in xs:\n        set(x)\n'), false);
  });
});
