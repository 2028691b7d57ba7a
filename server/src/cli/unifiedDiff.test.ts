// unifiedDiff's edit script keeps only the live diagonals (review 10 L1): the same script as the
// textbook Myers walk that saves the whole frontier per step, on real file pairs and random edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { editScript, linesOf, unifiedDiff, type Op } from './unifiedDiff';

/** The previous implementation (a full copy of the frontier per step), as the reference. */
function fullTraceScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const w = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && w[max + k - 1] < w[max + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : w[max + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x], a: x, b: --y });
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y], a: x, b: y });
    else ops.push({ kind: '-', line: a[--x], a: x, b: y });
  }
  return ops.reverse();
}

const pkg = (name: string) => join(__dirname, '..', '..', '..', 'node_modules', name);

// Real pairs nobody here wrote: the ESM and CommonJS builds of web-tree-sitter, the node and browser
// entry points of the LSP libraries, the TypeScript and TSX grammars' generated tables.
const PAIRS: [string, string][] = [
  [join(pkg('web-tree-sitter'), 'debug/web-tree-sitter.js'), join(pkg('web-tree-sitter'), 'debug/web-tree-sitter.cjs')],
  [join(pkg('vscode-languageserver'), 'lib/node/main.js'), join(pkg('vscode-languageserver'), 'lib/browser/main.js')],
  [join(pkg('vscode-languageclient'), 'lib/node/main.js'), join(pkg('vscode-languageclient'), 'lib/browser/main.js')],
  [join(pkg('web-tree-sitter'), 'web-tree-sitter.d.ts'), join(pkg('web-tree-sitter'), 'web-tree-sitter.d.cts')],
];

describe('unifiedDiff edit script', () => {
  for (const [from, to] of PAIRS) {
    it(`is the full-trace script on ${from.split('node_modules/').pop()} → ${to.split('/').pop()}`, () => {
      const a = linesOf(readFileSync(from, 'utf8'));
      const b = linesOf(readFileSync(to, 'utf8'));
      assert.deepEqual(editScript(a, b), fullTraceScript(a, b));
      assert.deepEqual(editScript(b, a), fullTraceScript(b, a));
    });
  }

  it('is the full-trace script on random line edits (small alphabet: many equal lines, ties)', () => {
    const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd', ''), { maxLength: 40 });
    fc.assert(fc.property(lines, lines, (a, b) => assert.deepEqual(editScript(a, b), fullTraceScript(a, b))), { numRuns: 2000 });
  });

  it('diffs two equal texts as nothing and an empty side as all added/removed', () => {
    assert.equal(unifiedDiff('f', 'x\n', 'x\n'), '');
    assert.deepEqual(editScript([], ['x\n']), [{ kind: '+', line: 'x\n', a: 0, b: 0 }]);
    assert.deepEqual(editScript(['x\n'], []), [{ kind: '-', line: 'x\n', a: 0, b: 0 }]);
  });
});
