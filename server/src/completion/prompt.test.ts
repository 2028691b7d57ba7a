import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIM_FAMILIES } from '../model/fim';
import type { FimInfo } from '../model/engine';
import { buildPrompt, chooseWindows, unheal } from './prompt';

const lines = Array.from({ length: 400 }, (_, i) => `line_${String(i).padStart(3, '0')} = ${i}\n`);
const text = lines.join('');
const budget = { prefixChars: 2000, suffixChars: 800, otherChars: 0 };

test('windows start and end at line boundaries, contain the cursor and respect the budget', () => {
  const offset = text.indexOf('line_200') + 5;
  const w = chooseWindows(text, offset, budget);
  assert.ok(w.start <= offset && offset <= w.end);
  assert.ok(w.start === 0 || text[w.start - 1] === '\n');
  assert.ok(w.end === text.length || text[w.end - 1] === '\n');
  assert.ok(offset - w.start <= budget.prefixChars);
  assert.ok(w.end - offset <= budget.suffixChars);
});

test('windows stay put while typing and moving nearby, and follow lines moved by edits above', () => {
  let doc = text;
  let offset = doc.indexOf('line_200') + 5;
  const first = chooseWindows(doc, offset, budget);
  // typing 20 characters
  for (let i = 0; i < 20; i++) {
    doc = doc.slice(0, offset) + 'x' + doc.slice(offset);
    offset++;
    const w = chooseWindows(doc, offset, budget, first.state);
    assert.equal(w.start, first.start, 'prefix window start kept');
    assert.equal(w.end, first.end + i + 1, 'suffix window end moves with the typed text only');
  }
  // two lines inserted above the window: the same line still starts it
  const w0 = chooseWindows(doc, offset, budget, first.state);
  const startLine = doc.slice(w0.start, doc.indexOf('\n', w0.start) + 1);
  doc = 'import a\nimport b\n' + doc;
  offset += 18;
  const w1 = chooseWindows(doc, offset, budget, w0.state);
  assert.equal(doc.slice(w1.start, doc.indexOf('\n', w1.start) + 1), startLine);
  // the cursor jumps far down: new windows
  const far = doc.indexOf('line_390');
  const w2 = chooseWindows(doc, far, budget, w1.state);
  assert.ok(w2.start > w1.start + 1000);
});

test('the FIM prompt has the template tokens around the windows; other files only when they fit', () => {
  const fim: FimInfo = { family: 'qwen', tokens: FIM_FAMILIES.qwen, source: 'metadata' };
  const offset = text.indexOf('line_100');
  const small = { path: 'b.py', text: 'def helper():\n    return 1\n' };
  const big = { path: 'c.py', text: 'x = 1\n'.repeat(1000) };
  const p = buildPrompt(fim, text, offset, 'a.py', { ...budget, otherChars: 200 }, [big, small]);
  assert.deepEqual(p.files, ['b.py']);
  const specials = p.segments.filter((s) => 'special' in s).map((s) => (s as { special: string }).special);
  assert.deepEqual(specials.slice(-3), ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']);
  assert.ok(specials.includes('<|file_sep|>'));
  assert.equal(p.prefix + p.suffix, text.slice(p.start, p.end));
  const q = buildPrompt({ family: 'codellama', tokens: FIM_FAMILIES.codellama, source: 'metadata' }, text, offset, 'a.py', { ...budget, otherChars: 200 }, [small]);
  assert.deepEqual(q.files, [], 'no file markers in CodeLlama format');
});

test('token healing: blanks typed at the end of the prefix leave the prompt and are removed from the answer', async () => {
  const text = 'def f(xs):\n    return [x for x in xs]\n\ndef g():\n    ';
  const p = buildPrompt(undefined, text, text.length, 'a.py', { prefixChars: 1000, suffixChars: 0, otherChars: 0 }, []);
  assert.equal(p.healed, '    ');
  assert.deepEqual(p.segments, [{ text: text.slice(0, -4) }]);
  assert.equal(p.prefix, text, 'the prefix for post-processing is what the user has');
  assert.equal(unheal('    return 1', p.healed), 'return 1');
  assert.equal(unheal('        return 1', p.healed), '    return 1', 'deeper indentation the model chose stays');
  assert.equal(unheal('  x', p.healed), 'x');
  assert.equal(unheal('\n    x', p.healed), '\n    x');
  const mid = 'x = ';
  assert.equal(buildPrompt(undefined, mid, mid.length, 'a.py', { prefixChars: 100, suffixChars: 0, otherChars: 0 }, []).healed, ' ');
});
