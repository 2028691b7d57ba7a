// Python source as Python reads it from disk: PEP 263 coding declarations and lone CR line ends
// (trial 9 L27: both were refused, though `ast.parse` accepts them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredEncoding, decodePythonSource, encodePythonSource } from './encoding';

const bytes = (s: string) => Buffer.from(s, 'latin1');

test('the coding declaration is read from the first line, or the second after a comment or blank first line', () => {
  assert.equal(declaredEncoding(bytes('# -*- coding: latin-1 -*-\nx = 1\n')), 'latin-1');
  assert.equal(declaredEncoding(bytes('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n')), 'cp1252');
  assert.equal(declaredEncoding(bytes('\n# coding=euc-jp\n')), 'euc-jp');
  assert.equal(declaredEncoding(bytes('import os\n# coding: latin-1\n')), undefined, 'not after code on line 1');
  assert.equal(declaredEncoding(bytes('x = 1\ny = 2\n# coding: latin-1\n')), undefined, 'only the first two lines');
  assert.equal(declaredEncoding(bytes('s = "coding: latin-1"\n')), undefined, 'in a comment only');
});

test('latin-1 is decoded byte for byte (not as windows-1252), ascii refuses bytes over 0x7f, other encodings through TextDecoder', () => {
  assert.deepEqual(decodePythonSource(bytes('# -*- coding: latin-1 -*-\n# caf\xe9 \x80\n')), { text: '# -*- coding: latin-1 -*-\n# café \u0080\n' });
  assert.deepEqual(decodePythonSource(bytes('# coding: ascii\nx = 1\n')), { text: '# coding: ascii\nx = 1\n' });
  assert.deepEqual(decodePythonSource(bytes('# coding: ascii\n# \xe9\n')), { skipped: 'not valid ascii (the encoding its coding declaration names)' });
  assert.deepEqual(decodePythonSource(Buffer.concat([bytes('# coding: shift_jis\ns = "'), Buffer.from([0x82, 0xa0]), bytes('"\n')])), { text: '# coding: shift_jis\ns = "あ"\n' });
  assert.deepEqual(decodePythonSource(bytes('# coding: klingon-8\n')), { skipped: "its coding declaration names 'klingon-8', an encoding Hotpath cannot decode" });
  assert.deepEqual(decodePythonSource(bytes('x = "\xe9"\n')), { skipped: 'not valid UTF-8' }, 'no declaration: UTF-8');
  assert.deepEqual(decodePythonSource(Buffer.from('# coding: utf-8\nx = "é"\n', 'utf8')), { text: '# coding: utf-8\nx = "é"\n' });
});

test('a lone CR ends a line (LF in its place: same offsets), CRLF is kept', () => {
  assert.deepEqual(decodePythonSource(bytes('def f(xs):\r    return xs\r\nx = 1\r')), { text: 'def f(xs):\n    return xs\r\nx = 1\n' });
});

test('a fixed text is written back as the file was: its declared encoding, byte order mark and lone CRs (check --fix)', () => {
  const roundTrip = (original: Buffer) => {
    const text = decodePythonSource(original).text!;
    return Buffer.from(encodePythonSource(text, original).bytes!).equals(original);
  };
  assert.ok(roundTrip(bytes('# -*- coding: latin-1 -*-\ns = "\xe9"\n')));
  assert.ok(roundTrip(Buffer.from('\ufeffs = "é"\r\n', 'utf8')), 'UTF-8 with a BOM and CRLF');
  assert.ok(roundTrip(bytes('def f(xs):\r    return xs\r')), 'lone CRs');
  const latin = encodePythonSource('# coding: latin-1\ns = "\xe9"\nt = "\u20ac"\n', bytes('# coding: latin-1\n'));
  assert.match(latin.refused ?? '', /cannot encode/);
  assert.match(encodePythonSource('x = 1\n', bytes('# coding: shift_jis\nx = 1\n')).refused ?? '', /reads but does not write/);
  assert.match(encodePythonSource('x = 1\ny = 2\n', bytes('x = 1\ry = 2\n')).refused ?? '', /mix lone CR/);
});
