// The parser interface: both backends produce identical snapshots, incremental re-parsing gives
// the tree a fresh parse gives, and changed ranges cover the edit.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadNativeBackend } from './native';
import type { GrammarName, ParserFactory, TextEdit } from './parser';
import { NodeNames, snapshot, type RawCursor, type SyntaxNode } from './syntax';
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

/** The row and UTF-16 column of an offset, counted from the text itself. */
function pointIn(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index);
  return { row: before.split('\n').length - 1, column: index - (before.lastIndexOf('\n') + 1) };
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

  // The snapshot reads four numbers per node and derives the rest (names by id, positions from the
  // text, isMissing only for zero-width nodes): it must give exactly what reading every property
  // through the cursor gives, on real code nobody on the team wrote and on broken code.
  it('a snapshot holds exactly what the cursor reports, node by node (stdlib and npm files, broken code, both backends)', () => {
    const files = realFiles();
    assert.ok(files.length >= 15, `only ${files.length} real files found`);
    for (const factory of [wasm, native.factory].filter((f): f is ParserFactory => f !== null)) {
      const parsers = new Map<GrammarName, ReturnType<ParserFactory['create']>>();
      let nodes = 0;
      for (const { grammar, text, name } of files) {
        const parser = parsers.get(grammar) ?? parsers.set(grammar, factory.create(grammar)).get(grammar)!;
        const tree = parser.parse(text);
        const read = readEveryProperty(tree.rootNode.walk());
        // The parser's own snapshots (WASM: the direct cursor of wasmCursor.ts) and snapshots through
        // the backend's cursor, of the whole tree; and the parser's snapshot of each top-level node on
        // its own (a unit), which must be that node's stretch of the whole tree's pre-order.
        const at = new Map(read.map((r, i): [string, number] => [`${r[4]}:${r[5]}:${r[0]}`, i]).reverse());
        const copies = [
          { how: 'parser.snapshot', root: parser.snapshot(tree.rootNode, text) },
          { how: 'cursor', root: snapshot(tree.rootNode.walk(), text, parser.names) },
          ...tree.rootNode.namedChildren.filter((c) => c !== null).map((c) => ({ how: 'parser.snapshot of a top-level node', root: parser.snapshot(c, text) })),
        ];
        for (const { how, root } of copies) {
          // Every node, opaque literals' tokens included (reading `children` copies them from the tree).
          const copied = everyNode(root);
          const offset = at.get(`${root.startIndex}:${root.endIndex}:${root.type}`)!;
          if (offset === 0) assert.equal(copied.length, read.length, `${factory.backend} ${how} ${name}: node count`);
          const indexOf = new Map(copied.map((n, i) => [n, offset + i]));
          for (let i = 0; i < copied.length; i++) {
            const n = copied[i];
            const got = [n.type, n.isNamed, n.isMissing, n.field, n.startIndex, n.endIndex, n.startPosition, n.endPosition, n.parent ? indexOf.get(n.parent) : -1];
            // A subtree's root has no parent and no field in its own snapshot.
            const expected = i === 0 && offset > 0 ? [...read[offset].slice(0, 3), null, ...read[offset].slice(4, 8), -1] : read[offset + i];
            if (JSON.stringify(got) !== JSON.stringify(expected)) assert.deepEqual(got, expected, `${factory.backend} ${how} ${name}: node ${offset + i}`);
          }
        }
        nodes += read.length;
        tree.dispose();
      }
      assert.ok(nodes > 100_000, `${factory.backend}: ${nodes} nodes compared`);
    }
  });

  it('snapshots very deep trees without overflowing the stack', () => {
    const text = `x = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const parser = wasm.create('python');
    const tree = parser.parse(text);
    for (const root of [snapshot(tree.rootNode.walk(), text), parser.snapshot(tree.rootNode, text)]) {
      let depth = 0;
      for (let n: SyntaxNode | undefined = root; n; n = n.namedChildren[n.namedChildren.length - 1]) depth++;
      assert.ok(depth > 1000, `depth ${depth}`);
    }
    tree.dispose();
  });

  // The direct cursor keeps the cursor's state in the runtime's transfer buffer and hands it back
  // before deleting the cursor: a deep walk grows (reallocates) the cursor's stack, and a stale state
  // would free the old stack again and corrupt WASM memory for later parses.
  it('wasm: snapshots go through the direct cursor, and WASM memory stays sound after many deep ones', () => {
    const parser = wasm.create('python');
    assert.ok((parser as unknown as { runtime: unknown }).runtime, 'the WASM runtime exposes the cursor functions (wasmCursor.ts)');
    const deep = `x = ${'['.repeat(3_000)}${']'.repeat(3_000)}\n`;
    for (let i = 0; i < 50; i++) {
      const tree = parser.parse(deep);
      parser.snapshot(tree.rootNode, deep);
      tree.dispose();
    }
    const text = SAMPLES.python;
    const tree = parser.parse(text);
    assert.deepEqual(shape(parser.snapshot(tree.rootNode, text)), shape(snapshot(tree.rootNode.walk(), text)));
    tree.dispose();
  });

  it("one parser's snapshots of several texts, one after the other, each give their own text's positions", () => {
    // A parser shares a text's line starts between the snapshots of that text (a document's units):
    // texts of the same length with their newlines elsewhere must not be read with another's lines.
    const texts = ['a = 1\nb = [x for x in y]\n', 'a = 1;b = [x for x in y]\n', 'a = 1\nb = [x for x in y]\n'];
    for (const factory of [wasm, native.factory].filter((f): f is ParserFactory => f !== null)) {
      const parser = factory.create('python');
      for (const text of [...texts, ...texts.map((t) => t.slice(0))]) {
        const tree = parser.parse(text);
        for (const raw of tree.rootNode.namedChildren) {
          const node = parser.snapshot(raw!, text);
          assert.deepEqual(node.startPosition, raw!.startPosition, `${factory.backend} ${JSON.stringify(text)}`);
          for (const n of node.descendants()) assert.deepEqual([n.startPosition, n.endPosition], [pointIn(text, n.startIndex), pointIn(text, n.endIndex)]);
        }
        tree.dispose();
      }
    }
  });
});

/** The node and every node under it in pre-order, through `children` (an opaque literal's are loaded). */
function everyNode(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

/** Every property of every node, read through the cursor (the way snapshots used to be taken). */
function readEveryProperty(cursor: RawCursor): unknown[][] {
  const out: unknown[][] = [];
  const parents: number[] = [];
  try {
    for (;;) {
      out.push([cursor.nodeType, cursor.nodeIsNamed, cursor.nodeIsMissing, parents.length ? cursor.currentFieldName ?? null : null, cursor.startIndex, cursor.endIndex, cursor.startPosition, cursor.endPosition, parents.length ? parents[parents.length - 1] : -1]);
      if (cursor.gotoFirstChild()) {
        parents.push(out.length - 1);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return out;
        parents.pop();
      }
    }
  } finally {
    cursor.delete?.();
  }
}

/**
 * Real files: some of the Python standard library (its syntax-error test files among them) and the
 * JavaScript/TypeScript of packages in node_modules, plus texts with line breaks tree-sitter does not
 * count as lines (lone CR, U+2028) and astral characters.
 */
function realFiles(): { grammar: GrammarName; text: string; name: string }[] {
  const out: { grammar: GrammarName; text: string; name: string }[] = [];
  const root = join(__dirname, '..', '..', '..');
  const stdlib = ['/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.11'].find((d) => existsSync(join(d, 'argparse.py')));
  const add = (grammar: GrammarName, path: string) => {
    try {
      out.push({ grammar, name: path, text: readFileSync(path, 'utf8') });
    } catch {
      /* not there on this machine */
    }
  };
  if (stdlib) {
    for (const f of ['argparse.py', 'ast.py', 'difflib.py', 'email/_header_value_parser.py', 'test/badsyntax_3131.py', 'test/badsyntax_pep3120.py', 'lib2to3/tests/data/py2_test_grammar.py', 'test/test_grammar.py', 'test/test_unicode_identifiers.py', 'idlelib/editor.py']) add('python', join(stdlib, f));
  }
  const modules = join(root, 'node_modules');
  for (const f of ['semver/classes/range.js', 'acorn/dist/acorn.js', 'ignore/index.js', 'smol-toml/dist/parse.js', 'vscode-jsonrpc/lib/common/connection.js']) add('javascript', join(modules, f));
  for (const f of ['vscode-languageserver-protocol/lib/common/protocol.d.ts', 'web-tree-sitter/web-tree-sitter.d.ts', 'typescript/lib/lib.es5.d.ts']) add('typescript', join(modules, f));
  out.push({ grammar: 'python', name: 'line breaks', text: 'a = 1\rb = "x\u2028y"\r\nc = "😀😀" + d\n\tif x:\n  return (\n' });
  out.push({ grammar: 'tsx', name: 'broken tsx', text: 'const C = () => <div>{items.map((i) => <li key={i}>{i}</li>)}</div\nfunction f( {\n' });
  return out;
}
