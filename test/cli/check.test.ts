// `hotpath check` and `hotpath rule` as a user runs them: the bundled bin, real files on disk.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { allRules } from '../../server/src/languages';

const BIN = join(__dirname, '..', '..', 'bin', 'hotpath.js');

function hotpath(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const python = allRules().find((r) => r.languages.includes('python') && r.fixtures.some((f) => f.language === 'python' && f.lines.length))!;
const pyFixture = python.fixtures.find((f) => f.language === 'python' && f.lines.length)!;
const js = allRules().find((r) => r.languages.includes('javascript') && r.fixtures.some((f) => f.language === 'javascript' && f.lines.length))!;
const jsFixture = js.fixtures.find((f) => f.language === 'javascript' && f.lines.length)!;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'src', 'slow.py'), pyFixture.code);
  writeFileSync(join(dir, 'src', 'slow.js'), jsFixture.code);
  writeFileSync(join(dir, 'src', 'clean.py'), 'def add(a, b):\n    return a + b\n');
  writeFileSync(join(dir, 'build', 'generated.py'), pyFixture.code);
  writeFileSync(join(dir, '.gitignore'), 'build/\n');
  writeFileSync(join(dir, 'src', 'latin1.py'), Buffer.from([0x73, 0x3d, 0x22, 0xe9, 0x22, 0x0a]));
  return dir;
}

describe('hotpath check', () => {
  it("skips the project's exclude paths", () => {
    const dir = project();
    writeFileSync(join(dir, 'hotpath.toml'), 'exclude = ["src/slow.js"]\n');
    const r = hotpath(['check', '.', '--no-progress', '--format', 'json'], dir);
    const paths = new Set((JSON.parse(r.stdout) as { path: string }[]).map((f) => f.path));
    assert.ok(paths.has(join('src', 'slow.py')) && !paths.has(join('src', 'slow.js')), [...paths].join(', '));
  });

  it('tags what is not a warning in the text output, and counts each severity in the summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    writeFileSync(join(dir, 'q.py'), 'from collections import deque\n\n\ndef drain(jobs):\n    queue = list(jobs)\n    done = []\n    while queue:\n        done.append(queue.pop(0))\n    return done\n');
    const r = hotpath(['check', '.', '--no-progress', '--no-cache'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^q\.py:8:\d+ HP102 `queue\.pop\(0\)`/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^q\.py:4:5 HP301 \[info\] `drain`/.test(l)), r.stdout);
    assert.match(lines[lines.length - 1], /^Found 2 findings in 1 file: 1 warning, 1 information \(\d+ with a quick fix in the editor\)\.$/);
  });

  it('--fail-on LEVEL: findings below the level are reported but do not fail the run; a bad level is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    // Only information: HP301 on a nested loop (no warning).
    writeFileSync(join(dir, 'pairs.py'), 'def pairs(xs):\n    out = 0\n    for a in xs:\n        for b in xs:\n            out += a * b\n    return out\n');
    const json = JSON.parse(hotpath(['check', 'pairs.py', '--format', 'json', '--no-cache'], dir).stdout) as { severity: string }[];
    assert.ok(json.length > 0 && json.every((f) => f.severity !== 'warning' && f.severity !== 'error'), JSON.stringify(json));
    assert.equal(hotpath(['check', 'pairs.py', '--no-cache'], dir).status, 1, 'default: any finding fails');
    const lenient = hotpath(['check', 'pairs.py', '--no-cache', '--fail-on', 'warning'], dir);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.match(lenient.stdout, /HP301 \[info\]/, 'still reported');
    writeFileSync(join(dir, 'q.py'), 'def drain(jobs):\n    queue = list(jobs)\n    done = []\n    while queue:\n        done.append(queue.pop(0))\n    return done\n');
    assert.equal(hotpath(['check', '.', '--no-cache', '--fail-on', 'warning'], dir).status, 1, 'a warning fails');
    assert.equal(hotpath(['check', '.', '--no-cache', '--fail-on', 'error'], dir).status, 0);
    const bad = hotpath(['check', '.', '--fail-on', 'warnings'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fail-on must be one of error, warning, information, hint/);
  });

  it('keeps one finding on one line when a file name holds a newline (the name is printed JSON-quoted)', { skip: process.platform === 'win32' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    writeFileSync(join(dir, 'odd\nname.py'), pyFixture.code);
    const r = hotpath(['check', '.', '--no-cache', '--no-progress'], dir);
    const lines = r.stdout.trim().split('\n');
    const mine = lines.filter((l) => l.includes(` ${python.code}`));
    assert.ok(mine.length >= pyFixture.lines.length, r.stdout);
    for (const l of mine) assert.ok(l.startsWith('"odd\\nname.py":'), l);
  });

  it('reads Python as Python does: a latin-1 coding declaration, and lone CR line ends (trial 9 L27)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    writeFileSync(join(dir, 'declared.py'), Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# caf\xe9\n', 'latin1'), Buffer.from(pyFixture.code)]));
    writeFileSync(join(dir, 'mac.py'), pyFixture.code.replace(/\r?\n/g, '\r'));
    const r = hotpath(['check', '.', '--no-cache', '--no-progress', '--format', 'json'], dir);
    assert.equal(r.stderr, '');
    const found = JSON.parse(r.stdout) as { path: string; line: number; code: string }[];
    assert.deepEqual(found.filter((f) => f.path === 'declared.py' && f.code === python.code).map((f) => f.line), pyFixture.lines.map((l) => l + 2));
    assert.deepEqual(found.filter((f) => f.path === 'mac.py' && f.code === python.code).map((f) => f.line), pyFixture.lines);
    assert.ok(!found.some((f) => f.code === 'invalid-syntax'), r.stdout);
  });

  it('refuses an empty path (an unset shell variable) instead of checking the working directory', () => {
    const dir = project();
    const r = hotpath(['check', ''], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /an empty path was given/);
    assert.equal(r.stdout, '');
  });

  it('prints path:line:col CODE message and exits 1 on findings, honouring .gitignore', () => {
    const dir = project();
    const r = hotpath(['check', '.', '--no-progress'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    for (const l of pyFixture.lines) assert.ok(lines.some((x) => x.startsWith(`src/slow.py:${l}:`) && x.includes(` ${python.code} `)), r.stdout);
    assert.ok(!r.stdout.includes('build/generated.py'), 'ignored by .gitignore');
    assert.match(r.stderr, /latin1\.py: skipped, not valid UTF-8/);
  });

  it('prints each finding on one line when the code it quotes spans lines (trial 9, L14)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    writeFileSync(join(dir, 'batch.py'), 'def apply_batch(self, entries):\n    done = []\n    for e in entries:\n        if any(\n                self._path_of(x) == e for x in entries):\n            done.append(e)\n    return done\n');
    const r = hotpath(['check', '.', '--no-progress', '--no-cache', '--select', 'HP301'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(lines[0], /^batch\.py:1:5 HP301 \[info\] `apply_batch` is .*`any\( self\._path_of/);
  });

  it('--format json gives 1-based positions and the documented fields', () => {
    const dir = project();
    const r = hotpath(['check', 'src', '--format', 'json'], dir);
    assert.equal(r.status, 1);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    const mine = findings.filter((f) => f.path === 'src/slow.py' && f.code === python.code);
    assert.deepEqual(mine.map((f) => f.line), pyFixture.lines);
    for (const f of findings) {
      for (const key of ['path', 'line', 'column', 'end_line', 'end_column', 'code', 'severity', 'message']) assert.ok(key in f, key);
      assert.ok((f.line as number) >= 1 && (f.column as number) >= 1);
    }
  });

  it('--select and --ignore filter by code or prefix; exit 0 when nothing is left', () => {
    const dir = project();
    const onlyJs = JSON.parse(hotpath(['check', 'src', '--format', 'json', '--select', 'HP2'], dir).stdout) as { code: string }[];
    assert.ok(onlyJs.length > 0 && onlyJs.every((f) => f.code.startsWith('HP2')));
    const none = hotpath(['check', 'src', '--ignore', 'HP'], dir);
    assert.equal(none.status, 0);
    assert.match(none.stdout, /no findings/);
  });

  it('honours [tool.hotpath] in pyproject.toml', () => {
    const dir = project();
    writeFileSync(join(dir, 'pyproject.toml'), `[tool.hotpath]\nignore = ["${python.code}"]\n`);
    const findings = JSON.parse(hotpath(['check', 'src', '--format', 'json'], dir).stdout) as { code: string }[];
    assert.ok(!findings.some((f) => f.code === python.code));
  });

  it('--format sarif is SARIF 2.1.0 with rules and regions', () => {
    const dir = project();
    const sarif = JSON.parse(hotpath(['check', 'src', '--format', 'sarif'], dir).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'hotpath');
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === python.code);
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, python.code);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/slow.py');
    assert.equal(result.locations[0].physicalLocation.region.startLine, pyFixture.lines[0]);
  });

  it('shows a file outside the working directory by its absolute path (as Ruff does), one inside it relative, and SARIF gets valid URIs for both', () => {
    const dir = project();
    const elsewhere = mkdtempSync(join(tmpdir(), 'hotpath-cwd-'));
    const outside = join(dir, 'src', 'slow.py');
    const text = hotpath(['check', outside, '--no-progress', '--no-cache'], elsewhere);
    assert.equal(text.status, 1, text.stderr);
    assert.ok(text.stdout.split('\n').some((l) => l.startsWith(`${outside}:${pyFixture.lines[0]}:`)), text.stdout);
    assert.doesNotMatch(text.stdout, /\.\.\//);
    const json = JSON.parse(hotpath(['check', outside, '--format', 'json', '--no-cache'], elsewhere).stdout) as { path: string }[];
    assert.ok(json.length > 0 && json.every((f) => f.path === outside));
    copyFileSync(outside, join(dir, 'src', 'a b#1.py'));
    const sarif = JSON.parse(hotpath(['check', join('src', 'a b#1.py'), outside, '--format', 'sarif', '--no-cache'], dir).stdout);
    const uris = new Set(sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }) => JSON.stringify(r.locations[0].physicalLocation.artifactLocation)));
    assert.ok(uris.has(JSON.stringify({ uri: 'src/a%20b%231.py', uriBaseId: '%SRCROOT%' })), [...uris].join(' '));
    const away = JSON.parse(hotpath(['check', outside, '--format', 'sarif', '--no-cache'], elsewhere).stdout);
    assert.deepEqual(away.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(outside).href });
  });

  it('reports code that does not parse as invalid-syntax (exit 1, whatever the selection) and analyses the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    // A list scanned in a loop (HP101) before a function whose definition is cut off.
    writeFileSync(join(dir, 'broken.py'), 'def f(xs):\n    seen = []\n    for x in xs:\n        if x not in seen:\n            seen.append(x)\n    return seen\n\ndef h(a\n');
    writeFileSync(join(dir, 'broken.js'), 'function g( {\n');
    const r = hotpath(['check', '.', '--no-progress'], dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^broken\.py:8:1 invalid-syntax invalid syntax: cannot parse `def h\(a`/m);
    assert.match(r.stdout, /^broken\.js:1:1 invalid-syntax /m);
    assert.match(r.stdout, /^broken\.py:4:\d+ HP101 /m, 'the code that parses is still analysed');
    const selected = hotpath(['check', '.', '--no-progress', '--select', 'HP2', '--format', 'json'], dir);
    assert.equal(selected.status, 1);
    const json = JSON.parse(selected.stdout) as { code: string; severity: string; path: string }[];
    assert.deepEqual(json.map((f) => [f.path, f.code, f.severity]).sort(), [['broken.js', 'invalid-syntax', 'error'], ['broken.py', 'invalid-syntax', 'error']]);
    const sarif = JSON.parse(hotpath(['check', '.', '--format', 'sarif'], dir).stdout);
    const rule = sarif.runs[0].tool.driver.rules.findIndex((x: { id: string }) => x.id === 'invalid-syntax');
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string; ruleIndex: number; level: string }) => x.ruleId === 'invalid-syntax' && x.ruleIndex === rule && x.level === 'error'));
  });

  it('does not call valid code invalid where only the tree-sitter grammar lacks the construct (issue 13 round 12: typedload, mp4box, ml-levenberg-marquardt); a syntax error beside it stays an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    writeFileSync(join(dir, 'alias.py'), 'from typing import TypeVarTuple\nTs = TypeVarTuple("Ts")\nx: tuple[*(int, str)] = (1, "a")\ndef f(*args: *Ts) -> tuple[*Ts]:\n    return args\n');
    writeFileSync(join(dir, 'boxes.mjs'), 'import { in as ipcoBox, ftyp } from "./boxes.js";\nexport { ipcoBox as in, ftyp as f };\n');
    writeFileSync(join(dir, 'index.ts'), 'export type * from "./types";\nexport function f(a: number): number { return a; }\n');
    // Found after round 13's freeze in the judged corpora: zod's variance annotations (a list over several lines,
    // a comment before one), mesa's starred list display in a subscript.
    writeFileSync(join(dir, 'variance.ts'), 'export interface Schema<\n  out Output = unknown,\n  /** @ts-ignore Cast variance */\n  out Input extends object = object,\n> { a: Output; b: Input }\nexport interface Check<in T = never> { run(x: T): void }\n');
    writeFileSync(join(dir, 'layer.py'), 'def make(data):\n    return dict(default_value=data[*[0 for _ in range(len(data.shape))]])\n');
    writeFileSync(join(dir, 'broken.py'), 'x: tuple[*Ts] = (1,\ndef g(:\n    pass\n');
    writeFileSync(join(dir, 'broken.mjs'), 'import { in as } from "./boxes.js";\n');
    // `in`/`out` before a name outside an interface's, class's or type alias's type parameters is no variance annotation (review 10).
    writeFileSync(join(dir, 'broken-variance.ts'), 'f(a, in b, c);\nlet a = 1, out b = 2;\nfunction g<in T>(x: T) {}\n');
    const json = JSON.parse(hotpath(['check', '.', '--no-progress', '--format', 'json'], dir).stdout) as { code: string; severity: string; path: string; message: string }[];
    const syntax = json.filter((f) => f.code === 'invalid-syntax');
    const valid = syntax.filter((f) => !f.path.startsWith('broken'));
    assert.deepEqual([...new Set(valid.map((f) => f.path))].sort(), ['alias.py', 'boxes.mjs', 'index.ts', 'layer.py', 'variance.ts']);
    assert.equal(valid.filter((f) => f.path === 'variance.ts').length, 3, JSON.stringify(valid));
    for (const f of valid) {
      assert.equal(f.severity, 'information', f.message);
      assert.match(f.message, /^not read: .* is valid code that the tree-sitter grammar Hotpath parses with does not know/);
      assert.doesNotMatch(f.message, /invalid syntax/);
    }
    assert.ok(valid.some((f) => /export type \* from/.test(f.message)) && valid.some((f) => /imported name/.test(f.message)) && valid.some((f) => /exported name/.test(f.message)) && valid.some((f) => /PEP 646/.test(f.message)) && valid.some((f) => /variance annotation/.test(f.message)));
    const broken = syntax.filter((f) => f.path.startsWith('broken'));
    assert.deepEqual([...new Set(broken.map((f) => f.path))].sort(), ['broken-variance.ts', 'broken.mjs', 'broken.py']);
    assert.equal(new Set(broken.filter((f) => f.path === 'broken-variance.ts').map((f) => (f as unknown as { line: number }).line)).size, 3, JSON.stringify(broken));
    assert.ok(broken.every((f) => f.severity === 'error' && f.message.startsWith('invalid syntax')), JSON.stringify(broken));
  });

  it('reads unchanged files from the cache (.hotpath_cache), which --no-cache neither reads nor writes', () => {
    const dir = project();
    const first = hotpath(['check', 'src', '--format', 'json', '--verbose'], dir);
    assert.match(first.stderr, /hotpath: 4 files: 3 analysed in the main thread, 0 from the cache/);
    const entries = readdirSync(join(dir, '.hotpath_cache'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    assert.equal(entries.length, 3, 'one entry per analysed file');
    // Prove the second run reads the entries: give each cached finding another message.
    for (const e of entries) {
      const path = join(dir, '.hotpath_cache', e);
      const entry = JSON.parse(readFileSync(path, 'utf8'));
      for (const f of entry.result.findings) f.message = 'FROM THE CACHE';
      writeFileSync(path, JSON.stringify(entry));
    }
    const second = hotpath(['check', 'src', '--format', 'json', '--verbose'], dir);
    assert.match(second.stderr, /hotpath: 4 files: 0 analysed in the main thread, 3 from the cache/);
    const cached = JSON.parse(second.stdout) as { code: string; message: string }[];
    assert.ok(cached.length > 0 && cached.filter((f) => f.code !== 'invalid-syntax').every((f) => f.message === 'FROM THE CACHE'));
    // --no-cache analyses afresh and leaves the entries alone.
    const fresh = hotpath(['check', 'src', '--format', 'json', '--no-cache', '--verbose'], dir);
    assert.equal(fresh.stdout, first.stdout);
    assert.match(fresh.stderr, /3 analysed in the main thread, 0 from the cache \(--no-cache\)/);
    // An edited file is analysed again; a corrupt entry is ignored and rewritten.
    writeFileSync(join(dir, 'src', 'slow.py'), pyFixture.code + '\n# edited\n');
    const jsEntry = entries.find((e) => readFileSync(join(dir, '.hotpath_cache', e), 'utf8').includes(`"code":"${js.code}"`))!;
    writeFileSync(join(dir, '.hotpath_cache', jsEntry), '{"truncated');
    const third = hotpath(['check', 'src', '--format', 'json', '--verbose'], dir);
    assert.match(third.stderr, /2 analysed in the main thread, 1 from the cache/);
    assert.ok((JSON.parse(third.stdout) as { message: string }[]).some((f) => f.message !== 'FROM THE CACHE'));
    // The selection is part of the key: another selection runs other rules.
    const selected = hotpath(['check', 'src', '--format', 'json', '--select', python.code, '--verbose'], dir);
    assert.match(selected.stderr, /\d analysed/);
    assert.ok((JSON.parse(selected.stdout) as { code: string }[]).every((f) => f.code === python.code || f.code === 'invalid-syntax'));
    assert.match(readFileSync(join(dir, '.hotpath_cache', '.gitignore'), 'utf8'), /^\*$/m);
  });

  it('gives the same output in worker threads as in one thread (real files: stdlib and npm packages)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    const stdlib = ['/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.11'].find((d) => existsSync(join(d, 'argparse.py')))!;
    const modules = join(__dirname, '..', '..', 'node_modules');
    const real = [
      ...['argparse.py', 'difflib.py', 'heapq.py', 'textwrap.py', 'tarfile.py', 'typing.py', 'inspect.py'].map((f) => join(stdlib, f)),
      join(modules, 'acorn', 'dist', 'acorn.js'),
      join(modules, 'chart.js', 'dist', 'core', 'core.scale.d.ts'),
    ];
    for (const f of real) copyFileSync(f, join(dir, basename(f)));
    const one = hotpath(['check', '.', '--format', 'json', '--no-cache', '--jobs', '1', '--verbose'], dir);
    const two = hotpath(['check', '.', '--format', 'json', '--no-cache', '--jobs', '2', '--verbose'], dir);
    assert.match(one.stderr, /9 analysed in the main thread/);
    assert.match(two.stderr, /9 analysed in 2 worker threads/);
    assert.ok((JSON.parse(one.stdout) as unknown[]).length > 10);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr.replace(/^hotpath: .*\n/m, ''), one.stderr.replace(/^hotpath: .*\n/m, ''));
  });

  it('exits 2 on usage errors and missing paths', () => {
    const dir = project();
    assert.equal(hotpath(['check', '--format', 'xml'], dir).status, 2);
    assert.equal(hotpath(['check', '--bogus'], dir).status, 2);
    assert.equal(hotpath(['check', 'does-not-exist'], dir).status, 2);
    assert.equal(hotpath(['frobnicate'], dir).status, 2);
  });

  it('native and wasm parsers give the same findings', () => {
    const dir = project();
    const wasm = hotpath(['check', 'src', '--format', 'json', '--parser', 'wasm'], dir);
    const auto = hotpath(['check', 'src', '--format', 'json', '--parser', 'auto'], dir);
    assert.deepEqual(JSON.parse(auto.stdout), JSON.parse(wasm.stdout));
  });

  // WASM starts slower and copies trees faster (parsing/wasmCursor.ts): the default follows the size
  // of the files given, and an explicit --parser wins.
  it('parses a few files with the native binding when it is installed, 1 M characters of source or more with WASM', () => {
    let native = true;
    try {
      require.resolve('tree-sitter');
    } catch {
      native = false;
    }
    const parserOf = (args: string[], dir: string) => /parser: (\w+)/.exec(hotpath(['check', 'src', '--no-cache', '--verbose', '--format', 'json', ...args], dir).stderr)?.[1];
    const small = project();
    assert.equal(parserOf([], small), native ? 'native' : 'wasm');
    assert.equal(parserOf(['--parser', 'wasm'], small), 'wasm');
    const large = project();
    // 1.1 MB of source in one more file: a module docstring of 16,000 lines.
    const line = 'a line of documentation, long enough to add up quickly to a megabyte\n';
    writeFileSync(join(large, 'src', 'large.py'), `"""\n${line.repeat(16_000)}"""\n`);
    assert.equal(parserOf([], large), 'wasm');
    assert.equal(parserOf(['--parser', 'auto'], large), native ? 'native' : 'wasm');
  });
});

describe('hotpath rule', () => {
  it("prints a rule's documentation", () => {
    const r = hotpath(['rule', python.code], process.cwd());
    assert.equal(r.status, 0);
    assert.ok(r.stdout.includes(python.name) && r.stdout.includes(python.cost));
    assert.equal(hotpath(['rule', 'HP999'], process.cwd()).status, 2);
    const all = hotpath(['rule', '--all'], process.cwd()).stdout.trim().split('\n');
    assert.equal(all.length, allRules().length);
    const xml = hotpath(['rule', '--all', '--format', 'xml'], process.cwd());
    assert.equal(xml.status, 2, 'an unknown format is a usage error, not the text list');
    assert.match(xml.stderr, /--format must be text or json, not 'xml'/);
  });

  it('writes one page per rule with --pages (the pages diagnostics link to)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-pages-'));
    assert.equal(hotpath(['rule', '--pages', dir], process.cwd()).status, 0);
    assert.deepEqual(readdirSync(dir).sort(), allRules().map((r) => `${r.code}.md`).sort());
    const page = readFileSync(join(dir, `${python.code}.md`), 'utf8');
    assert.ok(page.startsWith(`# ${python.code} \`${python.name}\``) && page.includes(python.cost) && page.includes(`hotpath: ignore[${python.code}]`));
  });
});

describe('hotpath check on files that are not regular files', { skip: process.platform === 'win32' }, () => {
  // The old code opened and read these whole: a FIFO blocked forever, /dev/zero grew to gigabytes.
  // hotpath() kills the process after 60 s; the test asserts it exited by itself, with the reason.
  it('skips a FIFO and a link to /dev/zero named *.py, saying why, and exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-special-'));
    spawnSync('mkfifo', [join(dir, 'fifo.py')]);
    symlinkSync('/dev/zero', join(dir, 'zero.py'));
    for (const name of ['fifo.py', 'zero.py']) {
      const r = hotpath(['check', name, '--no-progress', '--no-cache', '--jobs', '1'], dir);
      assert.notEqual(r.status, null, `${name}: the check did not exit`);
      assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}: skipped, not a regular file`));
    }
  });
});

describe('hotpath check with a cache folder that cannot be made', { skip: process.platform !== 'linux' }, () => {
  // Node's mkdirSync(…, { recursive: true }) loops forever under /proc: the old code spun at 100% CPU
  // after the analysis. hotpath() kills it after 60 s; the test asserts it exited by itself.
  it('--cache-dir /proc/… and $HOTPATH_CACHE_DIR: the findings, a warning, no hang', () => {
    const dir = project();
    const r = hotpath(['check', 'src/slow.py', '--no-progress', '--jobs', '1', '--cache-dir', '/proc/hotpath-nope'], dir);
    assert.equal(r.status, 1, `exit status ${r.status} (null: killed, it hung); stderr: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(` ${python.code} `));
    assert.match(r.stderr, /warning: the cache \/proc\/hotpath-nope cannot be written \(cannot create \/proc\/hotpath-nope: ENOENT\); results are not cached/);
    const env = spawnSync(process.execPath, [BIN, 'check', 'src/slow.py', '--no-progress', '--jobs', '1'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOTPATH_CACHE_DIR: '/proc/hotpath-nope/x' } });
    assert.equal(env.status, 1, `exit status ${env.status}; stderr: ${env.stderr}`);
  });
});

describe('hotpath output piped to a reader that stops early', () => {
  // `hotpath rule --all | head -1`: the old code died with an unhandled EPIPE stack trace. Here the
  // reading end is closed before the CLI writes anything, so every write hits a closed pipe.
  async function closedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    return { code, stderr };
  }

  it('exits quietly with its own status (no EPIPE stack trace)', async () => {
    const dir = project();
    const rules = await closedStdout(['rule', '--all'], dir);
    assert.deepEqual(rules, { code: 0, stderr: '' });
    const sarif = await closedStdout(['check', 'src/slow.py', '--format', 'sarif', '--no-cache', '--no-progress'], dir);
    assert.equal(sarif.code, 1, sarif.stderr);
    assert.doesNotMatch(sarif.stderr, /EPIPE|Unhandled|at /);
  });
});

describe('hotpath check says what it did not check', () => {
  // The old code printed "All clear: no findings in 0 files." and exit 0 for each of these, some
  // without any reason, and accepted an unknown --select code (a typo that turns every check off).
  it('names each skipped file with its reason and counts them in the summary and in SARIF', () => {
    const dir = project();
    writeFileSync(join(dir, 'README.md'), '# readme\n');
    const r = hotpath(['check', 'src/latin1.py', 'README.md', '--no-progress', '--no-cache'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /latin1\.py: skipped, not valid UTF-8/);
    assert.match(r.stderr, /README\.md: skipped, not a Python, JavaScript or TypeScript file/);
    assert.equal(r.stdout, 'Nothing checked: 2 files skipped (see the warnings).\n');
    const mixed = hotpath(['check', 'src', '--no-progress', '--no-cache'], dir);
    assert.match(mixed.stdout, /in 3 files: \d+ (warnings?|information)[^(]* \(\d+ with a quick fix in the editor\); 1 file skipped \(see the warnings\)\.\n$/);
    const sarif = JSON.parse(hotpath(['check', 'src/latin1.py', '--format', 'sarif', '--no-cache'], dir).stdout);
    assert.deepEqual(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text), ['skipped, not valid UTF-8']);
  });

  it('refuses an unknown rule code or prefix in --select/--ignore (exit 2), naming the form', () => {
    const dir = project();
    for (const args of [['--select', 'HP999'], ['--ignore', 'HP1,NOPE']]) {
      const r = hotpath(['check', 'src', ...args], dir);
      assert.equal(r.status, 2, r.stdout);
      assert.match(r.stderr, /unknown rule code or prefix '(HP999|NOPE)' \(give a rule code or prefix such as HP101, HP1 or ALL/);
    }
    assert.equal(hotpath(['check', 'src', '--select', 'hp1,ALL', '--format', 'json'], dir).status, 1);
  });
});
