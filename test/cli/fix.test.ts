// `hotpath check --fix` and `--diff` as a user runs them: the bundled bin, real files on disk. The
// user's text is never lost: line ends and encoding kept, a file that cannot be written left whole.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkFiles } from '../../server/src/cli/check';
import { fixFiles, lineEndOf, writeAtomically } from '../../server/src/cli/fix';
import { loadParserFactory } from '../../server/src/parsing';
import { diffPathOf } from '../../server/src/cli/unifiedDiff';

const BIN = join(__dirname, '..', '..', 'bin', 'hotpath.js');

function hotpath(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, 'check', '--no-cache', '--no-progress', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// HP102 (pop(0) on a list drained in a loop: deque, with its import added) and HP105 (a list() cast
// the loop does not need), both safe fixes.
const QUEUE = ['def drain(jobs):', '    queue = list(jobs)', '    done = []', '    while queue:', '        done.append(queue.pop(0))', '    return done', ''];
const CAST = ['def total(ys):', '    xs = [y * 2 for y in ys]', '    n = 0', '    for x in list(xs):', '        n += x', '    return n', ''];

function dir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(tmpdir(), 'hotpath-fix-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('hotpath check --fix', () => {
  it('applies the safe fixes round after round, reports what remains as Ruff does, and exits from the remaining findings', () => {
    const d = dir({ 'q.py': QUEUE.join('\n'), 'c.py': CAST.join('\n'), 'pairs.py': 'def pairs(xs):\n    out = 0\n    for a in xs:\n        for b in xs:\n            out += a * b\n    return out\n' });
    const r = hotpath(['--fix', '.'], d);
    const q = readFileSync(join(d, 'q.py'), 'utf8');
    assert.match(q, /^from collections import deque\n/, q);
    assert.match(q, /queue = deque\(jobs\)/);
    assert.match(q, /done\.append\(queue\.popleft\(\)\)/);
    assert.match(readFileSync(join(d, 'c.py'), 'utf8'), /for x in xs:/);
    assert.match(r.stdout, /^Fixed 2 findings in 2 files \(HP102 1, HP105 1\)\.$/m, r.stdout);
    assert.match(r.stdout, /^Found \d+ findings \(2 fixed, [1-9]\d* remaining\)\.$/m, r.stdout);
    assert.match(r.stdout, /^pairs\.py:1:5 HP301 \[info\]/m, 'the remaining findings are listed');
    assert.equal(r.status, 1, 'information remains: fails at the default --fail-on');
    // Nothing more to fix: the second run changes nothing.
    const again = hotpath(['--fix', 'q.py', 'c.py'], d);
    assert.equal(readFileSync(join(d, 'q.py'), 'utf8'), q);
    assert.doesNotMatch(again.stdout, /Fixed/);
    assert.deepEqual(readdirSync(d).filter((n) => n.includes('.tmp')), [], 'no temporary file left');
  });

  it('honours the selection and suppressions: an ignored rule or a `hotpath: ignore` line is not fixed', () => {
    const d = dir({ 'q.py': QUEUE.join('\n'), 'c.py': CAST.join('\n').replace('list(xs):', 'list(xs):  # hotpath: ignore[HP105]') });
    hotpath(['--fix', '--ignore', 'HP102', '.'], d);
    assert.equal(readFileSync(join(d, 'q.py'), 'utf8'), QUEUE.join('\n'));
    assert.match(readFileSync(join(d, 'c.py'), 'utf8'), /list\(xs\)/);
  });

  it('keeps CRLF line ends, the inserted import line included', () => {
    const d = dir({ 'q.py': QUEUE.join('\r\n') });
    const r = hotpath(['--fix', 'q.py'], d);
    const q = readFileSync(join(d, 'q.py'), 'utf8');
    assert.match(r.stdout, /1 fixed/, r.stdout + r.stderr);
    assert.match(q, /^from collections import deque\r\n/);
    assert.equal(q.replace(/\r\n/g, '').includes('\n'), false, JSON.stringify(q));
  });

  it('writes a latin-1 declared file back in latin-1', () => {
    const text = ['# -*- coding: latin-1 -*-', 'LABEL = "café"', ...CAST].join('\n');
    const d = dir({ 'c.py': Buffer.from(text, 'latin1') });
    const r = hotpath(['--fix', 'c.py'], d);
    assert.match(r.stdout, /1 fixed/, r.stdout + r.stderr);
    const bytes = readFileSync(join(d, 'c.py'));
    assert.ok(bytes.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x22])), 'é is still the one byte 0xE9');
    assert.equal(bytes.toString('latin1'), text.replace('list(xs)', 'xs'));
  });

  it('keeps lone CR line ends, and refuses a file whose encoding it cannot write, with a warning', () => {
    const d = dir({ 'cr.py': CAST.join('\r'), 'sj.py': Buffer.from(['# coding: shift_jis', ...CAST].join('\n')) });
    const r = hotpath(['--fix', '.'], d);
    assert.equal(readFileSync(join(d, 'cr.py'), 'utf8'), CAST.join('\r').replace('list(xs)', 'xs'));
    assert.equal(readFileSync(join(d, 'sj.py'), 'utf8'), ['# coding: shift_jis', ...CAST].join('\n'));
    assert.match(r.stderr, /sj\.py: not fixed: .*shift_jis/);
  });

  it('keeps the file mode; a read-only file gets a warning and keeps its text', { skip: process.platform === 'win32' }, () => {
    const d = dir({ 'run.py': CAST.join('\n'), 'ro.py': CAST.join('\n') });
    chmodSync(join(d, 'run.py'), 0o751);
    chmodSync(join(d, 'ro.py'), 0o444);
    const r = hotpath(['--fix', '.'], d);
    assert.match(readFileSync(join(d, 'run.py'), 'utf8'), /for x in xs:/);
    assert.equal(statSync(join(d, 'run.py')).mode & 0o777, 0o751);
    assert.equal(readFileSync(join(d, 'ro.py'), 'utf8'), CAST.join('\n'));
    assert.match(r.stderr, /warning: ro\.py: not fixed: it is read-only; the file is left as it was/);
    assert.match(r.stdout, /Found \d+ findings \(1 fixed, [1-9]\d* remaining\)/, 'the read-only file\'s findings remain');
  });

  it('a file it could not write makes the exit status 2, whatever --exit-zero and --fail-on say (review 10 L8)', { skip: process.platform === 'win32' }, () => {
    const d = dir({ 'ro.py': CAST.join('\n') });
    chmodSync(join(d, 'ro.py'), 0o444);
    for (const extra of [[], ['--exit-zero'], ['--fail-on', 'error']]) {
      const r = hotpath(['--fix', ...extra, 'ro.py'], d);
      assert.equal(r.status, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /ro\.py: not fixed: it is read-only/);
    }
    chmodSync(join(d, 'ro.py'), 0o644);
    assert.equal(hotpath(['--fix', '--exit-zero', 'ro.py'], d).status, 0, 'written: the remaining findings decide, and --exit-zero holds');
  });

  it('fixes a file whose only "syntax error" is valid code the grammar lacks (information), and keeps that code (review 10 L2)', () => {
    // `data[*[0, 0]]` (PEP 646, valid Python) is a grammar gap: reported as information, not an error.
    const text = ['def pick(data):', '    return data[*[0, 0]]', '', ...CAST].join('\n');
    const d = dir({ 'g.py': text });
    const r = hotpath(['--fix', 'g.py'], d);
    assert.doesNotMatch(r.stderr, /not fixed/, r.stderr);
    assert.equal(readFileSync(join(d, 'g.py'), 'utf8'), text.replace('list(xs)', 'xs'));
    assert.match(r.stdout, /1 fixed/, r.stdout);
    assert.match(r.stdout, /g\.py:2:\d+ invalid-syntax \[info\]/, 'the gap is still reported');
  });

  it('does not fix a file that does not parse', () => {
    const text = `${CAST.join('\n')}def broken(:\n    pass\n`;
    const d = dir({ 'b.py': text });
    const r = hotpath(['--fix', 'b.py'], d);
    assert.equal(readFileSync(join(d, 'b.py'), 'utf8'), text);
    assert.match(r.stderr, /b\.py: not fixed: it does not parse/);
  });
});

describe('fixFiles', () => {
  it('parses the later rounds and the fixed text with the check\'s --parser (review 10 W2)', async () => {
    const d = dir({ 'q.py': QUEUE.join('\n') });
    const files = await checkFiles([d], { parser: 'wasm' });
    const choices: string[] = [];
    const report = await fixFiles(files, { write: false, warn: () => undefined, parser: 'wasm', loadParsers: (choice, grammars) => (choices.push(String(choice)), loadParserFactory(choice, grammars)) });
    assert.equal(report.fixed, 1);
    assert.deepEqual(choices, ['wasm']);
  });
});

describe('lineEndOf', () => {
  it('is the text\'s own line end: a JS/TS file with lone CRs gets CR inserted, not LF (review 10 L4)', () => {
    assert.equal(lineEndOf('a\rb\r'), '\r');
    assert.equal(lineEndOf('a\r\nb'), '\r\n');
    assert.equal(lineEndOf('a\nb\r'), '\n');
    assert.equal(lineEndOf('one line'), '\n');
  });
});

describe('writeAtomically', () => {
  it('does not replace a file whose bytes changed since they were read (an editor saved it meanwhile), and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-fix-'));
    const path = join(dir, 'm.py');
    writeFileSync(path, 'saved by the editor\n');
    const failed = writeAtomically(path, Buffer.from('fixed\n'), Buffer.from('as read\n'));
    assert.match(failed ?? '', /it changed while it was being fixed/);
    assert.equal(readFileSync(path, 'utf8'), 'saved by the editor\n');
    assert.deepEqual(readdirSync(dir), ['m.py']);
    assert.equal(writeAtomically(path, Buffer.from('fixed\n'), Buffer.from('saved by the editor\n')), undefined);
    assert.equal(readFileSync(path, 'utf8'), 'fixed\n');
  });
});

describe('hotpath check --diff', () => {
  it('prints a unified diff of what --fix would change, writes nothing, and exits 1 when there is a change', () => {
    const d = dir({ 'q.py': QUEUE.join('\n'), 'clean.py': 'def add(a, b):\n    return a + b\n' });
    const r = hotpath(['--diff', '.'], d);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(readFileSync(join(d, 'q.py'), 'utf8'), QUEUE.join('\n'), 'nothing written');
    assert.equal(r.stdout, [
      '--- a/q.py',
      '+++ b/q.py',
      '@@ -1,6 +1,7 @@',
      '+from collections import deque',
      ' def drain(jobs):',
      '-    queue = list(jobs)',
      '+    queue = deque(jobs)',
      '     done = []',
      '     while queue:',
      '-        done.append(queue.pop(0))',
      '+        done.append(queue.popleft())',
      '     return done',
      '',
    ].join('\n'));
    assert.match(r.stderr, /Would fix 1 finding in 1 file \(HP102 1\)\./);
    const clean = hotpath(['--diff', 'clean.py'], d);
    assert.equal(clean.status, 0);
    assert.equal(clean.stdout, '');
  });

  it('the diff applies with patch -p1 and git apply, and gives the bytes --fix writes: latin-1, lone CR, CRLF (review 10 L3)', { skip: spawnSync('patch', ['--version']).status !== 0 || spawnSync('git', ['--version']).status !== 0 }, () => {
    const files = {
      'q.py': QUEUE.join('\n'),
      'c.py': CAST.join('\n'),
      'latin.py': Buffer.from(['# -*- coding: latin-1 -*-', 'LABEL = "café"', ...QUEUE].join('\n'), 'latin1'),
      'cr.py': QUEUE.join('\r'),
      'crlf.py': CAST.join('\r\n'),
    };
    const names = Object.keys(files);
    const d = dir(files);
    const e = dir(files);
    const r = spawnSync(process.execPath, [BIN, 'check', '--no-cache', '--no-progress', '--diff', '.'], { cwd: d });
    assert.equal(r.status, 1, r.stderr.toString());
    const diff = r.stdout;
    assert.ok(diff.includes(Buffer.from(' LABEL = "caf\xe9"\n', 'latin1')), 'the latin-1 file\'s lines in latin-1');
    assert.ok(!diff.includes(Buffer.from('café', 'utf8')), 'no UTF-8 in the latin-1 file\'s diff');
    const check = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: d, input: diff, encoding: 'utf8' });
    const git = check('git', ['apply', '--check', '-']);
    assert.equal(git.status, 0, git.stderr + diff.toString('latin1'));
    const dry = check('patch', ['-p1', '--dry-run']);
    assert.equal(dry.status, 0, dry.stdout + dry.stderr);
    assert.equal(check('patch', ['-p1']).status, 0);
    hotpath(['--fix', '.'], e);
    for (const name of names) assert.deepEqual(readFileSync(join(d, name)), readFileSync(join(e, name)), name);
    assert.notDeepEqual(readFileSync(join(e, 'cr.py')), Buffer.from(files['cr.py']), 'the lone-CR file was fixed');
  });

  it('names a file by its path relative to the working directory, or from the root when it lies outside it, so that git apply takes the diff (review 11 M1)', { skip: spawnSync('git', ['--version']).status !== 0 }, () => {
    const d = dir({ 'q.py': QUEUE.join('\n') });
    const inside = hotpath(['--diff', join(d, 'q.py')], d);
    assert.match(inside.stdout, /^--- a\/q\.py\n\+\+\+ b\/q\.py\n/);
    const outside = hotpath(['--diff', join(d, 'q.py')], dir({}));
    const fromRoot = join(d, 'q.py').slice(1);
    assert.ok(outside.stdout.startsWith(`--- a/${fromRoot}\n+++ b/${fromRoot}\n`), outside.stdout);
    const git = spawnSync('git', ['apply', '--check', '-'], { cwd: '/', input: outside.stdout, encoding: 'utf8' });
    assert.equal(git.status, 0, git.stderr);
    assert.equal(diffPathOf('/w/y/a.py', '/w/x'), 'w/y/a.py', 'not ../y/a.py');
    assert.equal(diffPathOf('../y/a.py', '/w/x'), 'w/y/a.py');
    assert.equal(diffPathOf('src/a.py', '/w'), 'src/a.py');
  });

  it('--diff with --format json is a usage error', () => {
    const r = hotpath(['--diff', '--format', 'json', '.'], dir({}));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--diff prints a diff/);
  });
});
