import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineColumn, lineStart, pointAt, positionsOf, rangeAt } from './positions';

describe('positions', () => {
  it('maps offsets to LSP positions and back, lines ending at \\n, \\r\\n or \\r, UTF-16 characters', () => {
    const text = 'ab\nc😀d\r\ne\rf';
    const p = positionsOf(text);
    assert.deepEqual(p.positionAt(5), { line: 1, character: 2 });
    assert.equal(p.offsetAt({ line: 1, character: 3 }), 6);
    assert.equal(p.offsetAt({ line: 1, character: 99 }), 7, 'clamped to the end of the line, before its \\r\\n');
    assert.equal(p.offsetAt({ line: 9, character: 0 }), text.length);
    assert.deepEqual(p.positionAt(text.indexOf('f')), { line: 3, character: 0 });
    assert.deepEqual(lineColumn(p, text.indexOf('e')), { line: 3, column: 1 });
    assert.deepEqual(rangeAt(p, 0, 2), { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
    assert.equal(lineStart(p, 2), text.indexOf('e'));
    assert.equal(lineStart(p, 4), text.length);
  });

  it('gives tree-sitter points: columns from the last \\n, rows as LSP lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '😀', '\n', '\r\n', ' '), { maxLength: 60 }), fc.nat(), (parts, at) => {
        const text = parts.join('');
        const offset = at % (text.length + 1);
        const point = pointAt(positionsOf(text), offset);
        const before = text.slice(0, offset);
        assert.equal(point.column, offset - (before.lastIndexOf('\n') + 1));
        assert.equal(point.row, before.split('\n').length - 1);
      }),
    );
  });
});
