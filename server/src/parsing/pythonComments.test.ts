// The workaround for tree-sitter-python's quadratic scan of comment runs (pythonComments.ts): the
// parser's input keeps every offset and line, only long runs of whole-line comments become spaces,
// and the tree of the code is the tree a plain parse gives (minus those comment nodes).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadNativeBackend } from './native';
import type { ParserFactory } from './parser';
import { blankCommentRuns, COMMENT_RUN_LINES, lexCommentRuns, mayHoldCommentRun } from './pythonComments';
import { snapshot, type SyntaxNode } from './syntax';
import { loadWasmBackend } from './wasm';

const run = (n: number, indent = '') => Array.from({ length: n }, (_, i) => `${indent}# old_code(${i}) = 'it''s'\n`).join('');

describe('blankCommentRuns', () => {
  it('blanks runs of at least COMMENT_RUN_LINES whole-line comments, keeping length and line ends; leaves shorter runs, trailing comments and code', () => {
    const text = `x = 1  # keep\n${run(COMMENT_RUN_LINES)}def f():\r\n${run(COMMENT_RUN_LINES - 1, '    ')}    return x\n`;
    const out = blankCommentRuns(text);
    assert.equal(out.length, text.length);
    assert.deepEqual([...out.matchAll(/\r?\n/g)].map((m) => m.index), [...text.matchAll(/\r?\n/g)].map((m) => m.index));
    assert.ok(out.startsWith('x = 1  # keep\n'));
    assert.equal(out.split('\n').slice(1, 1 + COMMENT_RUN_LINES).join('').trim(), '', 'the long run is blank');
    assert.ok(out.includes(`def f():\r\n${run(COMMENT_RUN_LINES - 1, '    ')}    return x\n`), 'the short run is kept');
    const short = `a = 1\n${run(COMMENT_RUN_LINES - 1)}`;
    assert.equal(blankCommentRuns(short), short, 'nothing to blank: the same string');
  });

  it('blanks only the comments: indentation stays, tabs included (a tab-indented block after a long comment run keeps its structure)', () => {
    const text = `def f():\n\tx = 1\n${'\t# c\n'.repeat(COMMENT_RUN_LINES)}\tif x:\n\t\ty = 2\n\treturn x\n`;
    const out = blankCommentRuns(text);
    assert.equal(out, text.replace(/# c/g, '   '));
  });

  it('leaves `#` lines inside strings alone (triple-quoted, with escapes and the other quote inside)', () => {
    const inString = `s = """a \\""" b ' \n${run(COMMENT_RUN_LINES + 5)}"""\nt = '#' + "'"\n`;
    assert.equal(blankCommentRuns(inString), inString);
    const afterString = `s = '''x'''\n${run(COMMENT_RUN_LINES)}y = 2\n`;
    assert.notEqual(blankCommentRuns(afterString), afterString);
  });
});

describe('mayHoldCommentRun (the line pre-check that spares the lexer)', () => {
  it('is true wherever the lexer blanks a run (blank lines and indentation inside it included), false below the run length', () => {
    const comments = (k: number, gap: string) => Array.from({ length: k }, (_, i) => `    # note ${i}`).join(`\n${gap}`);
    for (const gap of ['', '\n', '  \n\t\n']) {
      const text = `def f():\n    x = 1\n${comments(COMMENT_RUN_LINES, gap)}\n    return x\n`;
      assert.notEqual(lexCommentRuns(text), text, 'the lexer blanks it');
      assert.equal(mayHoldCommentRun(text), true);
      assert.equal(blankCommentRuns(text), lexCommentRuns(text));
      const short = `def f():\n    x = 1\n${comments(COMMENT_RUN_LINES - 1, gap)}\n    return x\n`;
      assert.equal(mayHoldCommentRun(short), false);
      assert.equal(blankCommentRuns(short), short);
    }
    // A code line inside ends the run; a run at the very end of the text without a final newline counts.
    assert.equal(mayHoldCommentRun(`${comments(16, '')}\nx = 1\n${comments(16, '')}`), false);
    assert.equal(mayHoldCommentRun(`x = 1\n${comments(COMMENT_RUN_LINES, '')}`), true);
    // A text with CR line ends goes to the lexer (its lines are not LF-separated).
    const cr = `x = 1\r${comments(COMMENT_RUN_LINES, '').replace(/\n/g, '\r')}\r`;
    assert.equal(mayHoldCommentRun(cr), true);
    assert.equal(blankCommentRuns(cr), lexCommentRuns(cr));
  });
});

describe('python parses of a file with long comment runs', () => {
  let wasm: ParserFactory;
  const native = loadNativeBackend();
  before(async () => {
    wasm = await loadWasmBackend(['python']);
  });
  const withoutComments = (node: SyntaxNode): unknown => [node.type, node.startIndex, node.endIndex, node.children.filter((c) => c.type !== 'comment').map(withoutComments)];

  it('keep a tab-indented block after a long comment run inside its function', () => {
    const text = `def f():\n\tx = 1\n${'\t# c\n'.repeat(COMMENT_RUN_LINES)}\tif x:\n\t\ty = 2\n\treturn x\n`;
    for (const factory of [wasm, native.factory].filter((f): f is ParserFactory => f !== null)) {
      const root = snapshot(factory.create('python').parse(text).rootNode.walk(), text);
      assert.deepEqual(root.namedChildren.map((c) => c.type), ['function_definition'], factory.backend);
    }
  });

  it('give the tree of the code a plain parse gives, through both backends, incremental re-parses included', () => {
    const text = `import os\n\n\nclass A:\n    def f(self, xs):\n        out = []\n${run(200, '        ')}        for x in xs:\n            out.append(x)\n${run(100, '    ')}    def g(self):\n        return 1\n${run(300)}`;
    const plain = (factory: ParserFactory) => {
      // A reference parse of the same code without the long runs' text (the runs replaced by blank lines).
      const reference = text.replace(/^[ \t]*#.*$/gm, (m) => ' '.repeat(m.length));
      return withoutComments(snapshot(factory.create('python').parse(reference).rootNode.walk(), reference));
    };
    for (const factory of [wasm, native.factory].filter((f): f is ParserFactory => f !== null)) {
      const parser = factory.create('python');
      const tree = parser.parse(text);
      const snap = snapshot(tree.rootNode.walk(), text);
      assert.ok(![...snap.descendants()].some((n) => n.isError || n.isMissing), factory.backend);
      assert.deepEqual(withoutComments(snap), plain(factory), factory.backend);
      assert.equal(snap.endIndex, text.length);
      // An edit inside the code between two runs: the incremental parse equals a fresh one.
      const at = text.indexOf('out.append(x)');
      const next = `${text.slice(0, at)}out.add(x)${text.slice(at + 'out.append(x)'.length)}`;
      const row = text.slice(0, at).split('\n').length - 1;
      const column = at - (text.lastIndexOf('\n', at - 1) + 1);
      tree.edit({ startIndex: at, oldEndIndex: at + 13, newEndIndex: at + 10, startPosition: { row, column }, oldEndPosition: { row, column: column + 13 }, newEndPosition: { row, column: column + 10 } });
      const incremental = snapshot(parser.parse(next, tree).rootNode.walk(), next);
      const fresh = snapshot(parser.parse(next).rootNode.walk(), next);
      assert.deepEqual(withoutComments(incremental), withoutComments(fresh), factory.backend);
    }
  });
});
