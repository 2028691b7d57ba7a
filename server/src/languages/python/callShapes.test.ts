// Issue 13 round 16 (in sample: round 15's two warnings wrong by both judges): what the module's calls
// pass a function bounds its loops and collections. A parameter with a literal default that no call
// overrides caps a `while` (pymzml `_read_until_tag_end`, `max_search_len=12`); a parameter every
// call passes a literal list is small (python-bitcoinlib `CompareBigEndian(s_val, [0])`). Each
// positive case has its negative beside it: the same shape with the bound not established keeps the
// finding. The facts are read across units (a caller in another top-level function), so an edit of a
// caller alone must change the callee's finding in the editor as in a fresh analysis.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../analysis/analyzeText';
import { DocumentAnalysis } from '../../analysis/document';
import type { Finding } from '../../analysis/rule';
import { loadWasmBackend } from '../../parsing/wasm';
import type { ParserFactory } from '../../parsing';
import { languageById } from '..';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['python']);
});

function found(code: string, rule: string): { line: number; severity: string; message: string }[] {
  return analyzeText(languageById('python'), wasm, code)
    .filter((f: Finding) => f.code === rule)
    .map((f) => ({ line: code.slice(0, f.startIndex).split('\n').length, severity: f.severity, message: f.message }));
}

const READER = (name: string, call: string, loop = 'while count < max_search_len and curr_byte != b">":', extra = '') => `class Reader${name}:
    def read_tags(self, seeker, n):
        tag, seeker = ${call}
        return tag

    def ${name}(self, seeker, max_search_len=12):
        count = 0
        string = b""
        curr_byte = ""
        ${loop}
            curr_byte = seeker.read(1)
            string += curr_byte
            count += 1${extra}
        return string, seeker
`;

describe('a default no call overrides caps a while loop (HP103, pymzml)', () => {
  it('private method, every call leaves the default: no finding', () => {
    assert.deepEqual(found(READER('_read_until_tag_end', 'self._read_until_tag_end(seeker)'), 'HP103'), []);
  });
  it('a literal cap in the condition itself: no finding', () => {
    assert.deepEqual(found(READER('_scan', 'self._scan(seeker)', 'while count < 12 and curr_byte != b">":'), 'HP103'), []);
  });
  const kept: [string, string][] = [
    ['a call overrides it by position', READER('_read_until_tag_end', 'self._read_until_tag_end(seeker, n)')],
    ['a call overrides it by keyword', READER('_read_until_tag_end', 'self._read_until_tag_end(seeker, max_search_len=n)')],
    ['a public method (callers elsewhere may pass any value)', READER('read_until_tag_end', 'self.read_until_tag_end(seeker)')],
    ['the counter is set back inside the loop', READER('_scan', 'self._scan(seeker)', undefined, '\n            if curr_byte == b" ":\n                count = 0')],
    ['the counter is set back by a tuple assignment inside the loop (review 13 B1)', READER('_scan', 'self._scan(seeker)', undefined, '\n            if curr_byte == b" ":\n                count, last = 0, count')],
    ['a literal cap, the counter set back by a tuple assignment (review 13 B1)', READER('_scan', 'self._scan(seeker)', 'while count < 12 and curr_byte != b">":', '\n            if curr_byte == b" ":\n                count, last = 0, count')],
    ['a nested function can set the counter back (nonlocal)', READER('_scan', 'self._scan(seeker)', undefined, '\n            def reset():\n                nonlocal count\n                count = 0\n            reset()')],
    ['the parameter is bound again', READER('_scan', 'self._scan(seeker)', undefined, '\n            max_search_len += 1')],
    ['a literal cap over 4,096', READER('_scan', 'self._scan(seeker)', 'while count < 100000 and curr_byte != b">":')],
    ['the method is handed on as a value', READER('_scan', 'self._scan(seeker) or schedule(self._scan)')],
    ['a call unpacks its arguments', READER('_scan', 'self._scan(*args)')],
  ];
  for (const [why, code] of kept) it(`kept when ${why}`, () => assert.equal(found(code, 'HP103').length, 1, code));
});

const COMPARE = (fn: string, callers: string, body = '') => `def check(sig, other):
    s_val = list(sig[6:])
    half_order = [0x7f, 0xff, 0xff, 0x5d, 0x57]
    return ${callers}


def ${fn}(c1, c2):
    c1 = list(c1)
    c2 = list(c2)${body}
    while len(c2) > len(c1):
        if c2.pop(0) > 0:
            return -1
    return 0
`;

const DRAIN = `def _drain(c1, c2):
    c2 = list(c2)
    while len(c2) > len(c1):
        if c2.pop(0) > 0:
            return -1
    return 0
`;

describe('every call passes a literal list (HP102, python-bitcoinlib)', () => {
  it('a public function: information, saying callers in other modules are not seen', () => {
    const f = found(COMPARE('CompareBigEndian', 'CompareBigEndian(s_val, [0]) > 0 and CompareBigEndian(s_val, half_order) <= 0'), 'HP102');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.match(f[0].message, /every call of `CompareBigEndian` in this module passes `c2` a literal list \(callers in other modules are not seen\)/);
  });
  it('a typed parameter is named in the message (gdtoolkit `legal_names: List[str]`)', () => {
    const code = 'def check(tree):\n    return _has(tree, ["load", "preload"])\n\n\ndef _has(tree, legal_names: list):\n    for child in tree.children:\n        if child.name in legal_names:\n            return True\n    return False\n';
    const f = found(code, 'HP101');
    assert.deepEqual(f.map((x) => x.severity), ['hint']);
    assert.match(f[0].message, /every call of `_has` passes `legal_names` a literal list/);
  });
  it('a private function: a hint, bounded by construction', () => {
    const f = found(COMPARE('_compare', '_compare(s_val, [0]) > 0 and _compare(s_val, c2=(1, 2)) <= 0'), 'HP102');
    assert.deepEqual(f.map((x) => x.severity), ['hint']);
    assert.match(f[0].message, /bounded by construction \(every call of `_compare` passes `c2` a literal list\)/);
  });
  const kept: [string, string][] = [
    ['one call passes another value', COMPARE('Compare', 'Compare(s_val, [0]) > 0 and Compare(s_val, other) <= 0')],
    ['the local list is changed before the call', COMPARE('Compare', 'Compare(s_val, [0]) > 0 and Compare(s_val, half_order.extend(other) or half_order) <= 0')],
    ['the function is handed on as a value', COMPARE('Compare', 'Compare(s_val, [0]) > 0 and sorted([s_val], key=Compare)')],
    ['a call unpacks its arguments', COMPARE('Compare', 'Compare(s_val, [0]) > 0 and Compare(*other) <= 0')],
    ['the list is a literal of computed elements', COMPARE('Compare', 'Compare(s_val, [0]) > 0 and Compare(s_val, [len(other)] * len(other)) <= 0')],
    // Review 13 S1 (/tmp/rv13/c4, c3, c7, c5): each was a hint, bounded by construction.
    ['the callee grows its copy of the literal', COMPARE('_compare', '_compare(s_val, [0]) > 0', '\n    for x in c1:\n        c2.append(x)')],
    ['the callee hands its copy on', COMPARE('_compare', '_compare(s_val, [0]) > 0', '\n    fill(c2, c1)')],
    ['the function is a default parameter value', `${DRAIN}\n\ndef check(s_val, data, cmp=_drain):\n    return _drain(s_val, [0]) + cmp(s_val, data)\n`],
    ['the function escapes through a walrus', `${DRAIN}\n\ndef check(s_val, data):\n    _drain(s_val, [0])\n    return (cmp := _drain)(s_val, data)\n`],
    ['a method called through its class passes self itself', `class H:\n    ${DRAIN.replace('(c1, c2)', '(self, c1, c2)').replace(/\n/g, '\n    ')}\n\n\ndef check(h, s_val, data):\n    return H._drain(h, [0], data)\n`],
  ];
  for (const [why, code] of kept) it(`a warning when ${why}`, () => assert.deepEqual(found(code, 'HP102').map((x) => x.severity), ['warning'], code));
});

describe('the callers are read across units in the editor', () => {
  it('editing only the caller changes the callee\'s finding, as a fresh analysis does', () => {
    const spec = languageById('python');
    const parser = wasm.create('python');
    const text = COMPARE('CompareBigEndian', 'CompareBigEndian(s_val, [0]) > 0 and CompareBigEndian(s_val, half_order) <= 0');
    const next = text.replace('CompareBigEndian(s_val, half_order)', 'CompareBigEndian(s_val, other)');
    const analysis = new DocumentAnalysis(spec, parser, text);
    assert.deepEqual(analysis.findings().filter((f) => f.code === 'HP102').map((f) => f.severity), ['information']);
    const at = text.indexOf('half_order) <= 0');
    const row = text.slice(0, at).split('\n').length - 1;
    const column = at - text.lastIndexOf('\n', at - 1) - 1;
    analysis.update(next, [{ startIndex: at, oldEndIndex: at + 10, newEndIndex: at + 5, startPosition: { row, column }, oldEndPosition: { row, column: column + 10 }, newEndPosition: { row, column: column + 5 } }]);
    const fresh = new DocumentAnalysis(spec, parser, next);
    assert.deepEqual(analysis.findings().filter((f) => f.code === 'HP102').map((f) => f.severity), ['warning']);
    assert.deepEqual(analysis.findings(), fresh.findings());
    // And back: the literal again makes it information without touching the callee.
    const back = new DocumentAnalysis(spec, parser, next);
    back.update(text, [{ startIndex: at, oldEndIndex: at + 5, newEndIndex: at + 10, startPosition: { row, column }, oldEndPosition: { row, column: column + 5 }, newEndPosition: { row, column: column + 10 } }]);
    assert.deepEqual(back.findings().filter((f) => f.code === 'HP102').map((f) => f.severity), ['information']);
    for (const a of [analysis, fresh, back]) a.dispose();
  });
  it('editing only a caller to override a default brings the callee\'s finding back', () => {
    const spec = languageById('python');
    const parser = wasm.create('python');
    const text = `class R:\n    def _scan(self, seeker, limit=12):\n        count = 0\n        s = b""\n        while count < limit:\n            s += seeker.read(1)\n            count += 1\n        return s\n\n\ndef use(r, seeker, n):\n    return r._scan(seeker)\n`;
    const at = text.lastIndexOf('seeker)');
    const next = text.slice(0, at) + 'seeker, n)' + text.slice(at + 'seeker)'.length);
    const analysis = new DocumentAnalysis(spec, parser, text);
    assert.equal(analysis.findings().filter((f) => f.code === 'HP103').length, 0);
    const row = text.slice(0, at).split('\n').length - 1;
    const column = at - text.lastIndexOf('\n', at - 1) - 1;
    analysis.update(next, [{ startIndex: at, oldEndIndex: at + 7, newEndIndex: at + 10, startPosition: { row, column }, oldEndPosition: { row, column: column + 7 }, newEndPosition: { row, column: column + 10 } }]);
    assert.equal(analysis.findings().filter((f) => f.code === 'HP103').length, 1);
    analysis.dispose();
  });
  it('editing only a caller to override a literal tuple default brings the callee\'s loop back (zope.tales Roman shape)', () => {
    const spec = languageById('python');
    const parser = wasm.create('python');
    const text = `class R:\n    def _spell(self, n, table=((1, 'one'), (2, 'two'))):\n        s = ''\n        for v, word in table:\n            s = s + word * (n // v)\n        return s\n\n\ndef use(r, n, t):\n    return r._spell(n)\n`;
    const at = text.lastIndexOf('n)');
    const next = text.slice(0, at) + 'n, t)' + text.slice(at + 'n)'.length);
    const analysis = new DocumentAnalysis(spec, parser, text);
    assert.equal(analysis.findings().filter((f) => f.code === 'HP103').length, 0);
    const row = text.slice(0, at).split('\n').length - 1;
    const column = at - text.lastIndexOf('\n', at - 1) - 1;
    analysis.update(next, [{ startIndex: at, oldEndIndex: at + 2, newEndIndex: at + 5, startPosition: { row, column }, oldEndPosition: { row, column: column + 2 }, newEndPosition: { row, column: column + 5 } }]);
    const fresh = new DocumentAnalysis(spec, parser, next);
    assert.equal(analysis.findings().filter((f) => f.code === 'HP103').length, 1);
    assert.deepEqual(analysis.findings(), fresh.findings());
    for (const a of [analysis, fresh]) a.dispose();
  });
});
