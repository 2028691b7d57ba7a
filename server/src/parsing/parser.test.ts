// The parser interface: both backends produce identical snapshots, incremental re-parsing gives
// the tree a fresh parse gives, and changed ranges cover the edit.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadNativeBackend } from './native';
import type { GrammarName, ParserFactory, TextEdit } from './parser';
import { snapshot, type SyntaxNode } from './syntax';
import { loadWasmBackend } from './wasm';

const SAMPLES: Record<GrammarName, string> = {
  python: 'def f(xs: list[int]) -> int:\n    s = "héllo😀"\n    return sum(x for x in xs if x in {1, 2})\n',
  javascript: 'const f = (xs) => xs.filter((x) => [1, 2].includes(x)).map((x) => `${x}😀`);\n',
  typescript: 'export function f(xs: Array<number>): number { return xs.reduce((a: number, b) => a + b, 0); }\n',
  tsx: 'export const C = ({ items }: { items: string[] }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n',
};

function shape(node: SyntaxNode): unknown {
  return [node.type, node.field, node.startIndex, node.endIndex, node.startPosition, node.endPosition, node.children.map(shape)];
}

function editFor(text: string, start: number, oldEnd: number, insert: string): { edit: TextEdit; text: string } {
  const point = (t: string, i: number) => {
    const before = t.slice(0, i);
    const row = before.split('\n').length - 1;
    return { row, column: i - (before.lastIndexOf('\n') + 1) };
  };
  const next = text.slice(0, start) + insert + text.slice(oldEnd);
  return {
    text: next,
    edit: { startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + insert.length, startPosition: point(text, start), oldEndPosition: point(text, oldEnd), newEndPosition: point(next, start + insert.length) },
  };
}

describe('parser backends', () => {
  let wasm: ParserFactory;
  const native = loadNativeBackend();
  before(async () => {
    wasm = await loadWasmBackend();
  });

  for (const [grammar, text] of Object.entries(SAMPLES) as [GrammarName, string][]) {
    it(`${grammar}: wasm parses into an error-free snapshot with UTF-16 offsets`, () => {
      const tree = wasm.create(grammar).parse(text);
      const root = snapshot(tree.rootNode.walk(), text);
      assert.equal(root.endIndex, text.length);
      assert.ok(![...root.descendants()].some((n) => n.isError || n.isMissing));
      tree.dispose();
    });

    it(`${grammar}: native and wasm snapshots are identical`, { skip: native.factory ? false : native.reason }, () => {
      const a = snapshot(wasm.create(grammar).parse(text).rootNode.walk(), text);
      const b = snapshot(native.factory!.create(grammar).parse(text).rootNode.walk(), text);
      assert.deepEqual(shape(b), shape(a));
    });

    it(`${grammar}: an incremental re-parse equals a fresh parse, and changed ranges cover the edit`, () => {
      for (const factory of [wasm, native.factory].filter((f): f is ParserFactory => f !== null)) {
        const parser = factory.create(grammar);
        const old = parser.parse(text);
        const at = text.indexOf('x');
        const { edit, text: next } = editFor(text, at, at + 1, 'value_1');
        old.edit(edit);
        const incremental = parser.parse(next, old);
        const fresh = parser.parse(next);
        assert.deepEqual(shape(snapshot(incremental.rootNode.walk(), next)), shape(snapshot(fresh.rootNode.walk(), next)), factory.backend);
        const changed = old.changedRanges(incremental);
        assert.ok(changed.every((r) => r.startIndex <= r.endIndex));
      }
    });
  }

  it('deletes the cursor it snapshots (web-tree-sitter cursors must never reach the garbage collector)', () => {
    const text = SAMPLES.python;
    const tree = wasm.create('python').parse(text);
    const cursor = tree.rootNode.walk();
    let deleted = 0;
    const original = cursor.delete!.bind(cursor);
    cursor.delete = () => {
      deleted++;
      original();
    };
    snapshot(cursor, text);
    assert.equal(deleted, 1);
    tree.dispose();
  });

  it('snapshots very deep trees without overflowing the stack', () => {
    const text = `x = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const tree = wasm.create('python').parse(text);
    const root = snapshot(tree.rootNode.walk(), text);
    let depth = 0;
    for (let n: SyntaxNode | undefined = root; n; n = n.namedChildren[n.namedChildren.length - 1]) depth++;
    assert.ok(depth > 1000, `depth ${depth}`);
    tree.dispose();
  });
});
