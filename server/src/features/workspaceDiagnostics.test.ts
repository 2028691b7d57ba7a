// Workspace diagnostics (workspace/diagnostic, pull model) through the real bundled server, on a
// project written to a temporary directory: closed files' findings, .gitignore and project
// `exclude`, suppressions, the long poll (nothing new → it waits; a change on disk → only that
// file), open documents left to pushed diagnostics, the setting that turns the background check
// off, Check Workspace, and cancelling the check from its progress.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  DocumentDiagnosticRequest,
  FileChangeType,
  WorkspaceDiagnosticRequest,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { TestServer } from '../../../test/lsp/lspClient';
import { AnalysisStatusNotification, CheckWorkspaceRequest, type AnalysisStatus } from '../protocol';

const SLOW_PY = `def new_customers(orders, known_customers):
    known = list(known_customers)
    for order in orders:
        if order not in known:
            known.append(order)
    return known
`;
const CLEAN_PY = `def total(xs):
    return sum(xs)
`;
const SLOW_JS = `export function common(a, b) {
  const out = [];
  for (const x of a) if (b.includes(x)) out.push(x);
  return out;
}
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-ws-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'build'));
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'src', 'slow.py'), SLOW_PY);
  writeFileSync(join(dir, 'src', 'clean.py'), CLEAN_PY);
  writeFileSync(join(dir, 'src', 'common.js'), SLOW_JS);
  writeFileSync(join(dir, 'src', 'quiet.py'), SLOW_PY.replace('if order not in known:', 'if order not in known:  # hotpath: ignore[HP101]'));
  writeFileSync(join(dir, 'build', 'gen.py'), SLOW_PY);
  writeFileSync(join(dir, 'vendor', 'lib.py'), SLOW_PY);
  writeFileSync(join(dir, '.gitignore'), 'build/\n');
  writeFileSync(join(dir, 'hotpath.toml'), 'exclude = ["vendor/"]\n');
  return dir;
}

const uriOf = (dir: string, rel: string) => pathToFileURL(join(dir, rel)).href;
const full = (r: WorkspaceDocumentDiagnosticReport) => r as WorkspaceFullDocumentDiagnosticReport;

/** One workspace/diagnostic request, collecting its partial results too. */
async function pull(server: TestServer, previous: Map<string, string>, token?: CancellationTokenSource): Promise<WorkspaceDocumentDiagnosticReport[]> {
  const partialResultToken = `p${Math.random()}`;
  const got: WorkspaceDocumentDiagnosticReport[] = [];
  const sub = server.connection.onProgress(WorkspaceDiagnosticRequest.partialResult, partialResultToken, (p) => void got.push(...p.items));
  try {
    const r = await server.connection.sendRequest(
      WorkspaceDiagnosticRequest.type,
      { previousResultIds: [...previous].map(([uri, value]) => ({ uri, value })), partialResultToken },
      token?.token,
    );
    got.push(...r.items);
  } finally {
    sub.dispose();
  }
  for (const r of got) if (r.resultId) previous.set(r.uri, r.resultId);
  return got;
}

function codesByFile(reports: WorkspaceDocumentDiagnosticReport[], dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of reports) out[r.uri.slice(pathToFileURL(dir).href.length + 1)] = full(r).items.map((d) => String(d.code)).sort();
  return out;
}

describe('workspace diagnostics', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("report closed files' findings, honouring .gitignore, exclude and suppressions; wait for changes; follow the disk", async () => {
    const dir = project();
    dirs.push(dir);
    const server = new TestServer({ workspaceFolders: [pathToFileURL(dir).href] });
    const statuses: AnalysisStatus[] = [];
    server.connection.onNotification(AnalysisStatusNotification, (s) => void statuses.push(s));
    try {
      const init = await server.initialize();
      assert.deepEqual((init.capabilities as { diagnosticProvider?: unknown }).diagnosticProvider, { identifier: 'hotpath', interFileDependencies: false, workspaceDiagnostics: true });
      const known = new Map<string, string>();
      const first = await pull(server, known);
      assert.deepEqual(codesByFile(first, dir), { 'src/clean.py': [], 'src/common.js': ['HP301'], 'src/quiet.py': ['HP301'], 'src/slow.py': ['HP101', 'HP301'] });
      const hp101 = full(first.find((r) => r.uri.endsWith('slow.py'))!).items.find((d) => d.code === 'HP101')!;
      assert.deepEqual(hp101.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 29 } });
      assert.match(hp101.codeDescription?.href ?? '', /^file:\/\/.*\/rules\/HP101\.md$/);
      await server.until(() => statuses.some((s) => s.workspace.state === 'done' && s.workspace.files === 4 && s.workspace.findings === 4), 'a done status');

      // Nothing changed: the next poll waits (long poll) instead of answering at once.
      const cts = new CancellationTokenSource();
      const waiting = pull(server, known, cts);
      const early = await Promise.race([waiting.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 700))]);
      assert.equal(early, 'waiting');
      // A file changes on disk: that file alone is reported.
      writeFileSync(join(dir, 'src', 'clean.py'), SLOW_PY);
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(dir, 'src/clean.py'), type: FileChangeType.Changed }] });
      assert.deepEqual(codesByFile(await waiting, dir), { 'src/clean.py': ['HP101', 'HP301'] });
      // A deleted file is cleared; a created one in an ignored folder is not reported.
      unlinkSync(join(dir, 'src', 'common.js'));
      writeFileSync(join(dir, 'build', 'new.py'), SLOW_PY);
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(dir, 'src/common.js'), type: FileChangeType.Deleted },
          { uri: uriOf(dir, 'build/new.py'), type: FileChangeType.Created },
        ],
      });
      assert.deepEqual(codesByFile(await pull(server, known), dir), { 'src/common.js': [] });

      // An open document is left to pushed diagnostics; once closed, its findings come from disk.
      const slow = uriOf(dir, 'src/slow.py');
      await server.open(slow, 'python', CLEAN_PY);
      const pulled = await server.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: slow } });
      assert.deepEqual(pulled, { kind: 'full', items: [] });
      await server.close(slow);
      const closedPull = await server.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: slow } });
      assert.deepEqual((closedPull as { items: { code: string }[] }).items.map((d) => d.code).sort(), ['HP101', 'HP301']);

      // A rule ignored in settings disappears everywhere.
      await server.setSettings({ ignore: ['HP301'] });
      const again = await pull(server, known);
      assert.deepEqual(codesByFile(again, dir), { 'src/clean.py': ['HP101'], 'src/quiet.py': [], 'src/slow.py': ['HP101'] });
    } finally {
      await server.shutdown();
    }
  });

  it('a check of more than 20 files runs in a worker thread and reports what the in-process check reports', async () => {
    const dir = project();
    dirs.push(dir);
    // 24 copies of the small project's three source files (the others are ignored or excluded).
    for (let i = 0; i < 8; i++) {
      writeFileSync(join(dir, 'src', `slow${i}.py`), SLOW_PY);
      writeFileSync(join(dir, 'src', `quiet${i}.py`), SLOW_PY.replace('if order not in known:', 'if order not in known:  # hotpath: ignore[HP101]'));
      writeFileSync(join(dir, 'src', `common${i}.js`), SLOW_JS);
    }
    const server = new TestServer({ workspaceFolders: [pathToFileURL(dir).href] });
    try {
      await server.initialize();
      const codes = codesByFile(await pull(server, new Map()), dir);
      const expected: Record<string, string[]> = { 'src/clean.py': [], 'src/common.js': ['HP301'], 'src/quiet.py': ['HP301'], 'src/slow.py': ['HP101', 'HP301'] };
      for (let i = 0; i < 8; i++) Object.assign(expected, { [`src/slow${i}.py`]: ['HP101', 'HP301'], [`src/quiet${i}.py`]: ['HP301'], [`src/common${i}.js`]: ['HP301'] });
      assert.deepEqual(codes, expected);
      assert.match(server.logs.join('\n'), /workspace check: \d+ files in \d+ worker thread/);
      assert.doesNotMatch(server.logs.join('\n'), /on the main thread/, 'no file fell back from the worker');
    } finally {
      await server.shutdown();
    }
  });

  it('never reads a FIFO or a link to /dev/zero named *.py (a watched-file event, a pull), and keeps answering', { skip: process.platform === 'win32' }, async () => {
    // The old code skipped them in the walk but read them whole on a didChangeWatchedFiles event or a
    // textDocument/diagnostic pull: blocked for good on the FIFO, gigabytes from /dev/zero. Generous
    // limit, no timing: the assertion is that the server answered.
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-ws-special-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'ok.py'), SLOW_PY);
    execFileSync('mkfifo', [join(dir, 'fifo.py')]);
    symlinkSync('/dev/zero', join(dir, 'zero.py'));
    const server = new TestServer({ workspaceFolders: [pathToFileURL(dir).href] });
    const answered = <T>(p: Promise<T>, what: string) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer: ${what}`)), 60_000))]);
    try {
      await server.initialize();
      const known = new Map<string, string>();
      assert.deepEqual(codesByFile(await answered(pull(server, known), 'first pull'), dir), { 'ok.py': ['HP101', 'HP301'] });
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(dir, 'fifo.py'), type: FileChangeType.Created },
          { uri: uriOf(dir, 'zero.py'), type: FileChangeType.Created },
        ],
      });
      for (const name of ['fifo.py', 'zero.py']) {
        const r = await answered(server.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(dir, name) } }), `pull ${name}`);
        assert.deepEqual(r, { kind: 'full', items: [] });
      }
      const ok = await answered(server.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(dir, 'ok.py') } }), 'pull ok.py');
      assert.deepEqual((ok as { items: { code: string }[] }).items.map((d) => d.code).sort(), ['HP101', 'HP301']);
      assert.equal((await answered(server.connection.sendRequest(CheckWorkspaceRequest), 'Check Workspace')).state, 'done');
    } finally {
      await server.shutdown();
    }
  });

  it('checks a folder the user opened even when the repository around it ignores it', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'hotpath-ws-repo-'));
    dirs.push(repo);
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, '.gitignore'), 'scratch/\n');
    const folder = join(repo, 'scratch', 'ws');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'slow.py'), SLOW_PY);
    const server = new TestServer({ workspaceFolders: [pathToFileURL(folder).href] });
    try {
      await server.initialize();
      assert.deepEqual(codesByFile(await pull(server, new Map()), folder), { 'slow.py': ['HP101', 'HP301'] });
    } finally {
      await server.shutdown();
    }
  });

  it('off: nothing until Check Workspace, which reports when done', async () => {
    const dir = project();
    dirs.push(dir);
    const server = new TestServer({ workspaceFolders: [pathToFileURL(dir).href], settings: { workspaceDiagnostics: false } });
    try {
      await server.initialize();
      const known = new Map<string, string>();
      const cts = new CancellationTokenSource();
      const waiting = pull(server, known, cts);
      const early = await Promise.race([waiting.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 700))]);
      assert.equal(early, 'waiting');
      const summary = await server.connection.sendRequest(CheckWorkspaceRequest);
      assert.equal(summary.state, 'done');
      assert.deepEqual([summary.files, summary.findings, summary.filesWithFindings], [4, 4, 3]);
      assert.deepEqual(Object.keys(codesByFile(await waiting, dir)).sort(), ['src/clean.py', 'src/common.js', 'src/quiet.py', 'src/slow.py']);
      // A cancelled poll returns at once.
      const idle = new CancellationTokenSource();
      const p = pull(server, known, idle);
      idle.cancel();
      await p.catch(() => undefined);
    } finally {
      await server.shutdown();
    }
  });

  it('a large check shows cancellable progress; cancelled, it stops and says so', async () => {
    const dir = project();
    dirs.push(dir);
    // Enough work that the check is still running when the test reacts to its first progress.
    const big = Array.from({ length: 40 }, (_, i) => SLOW_PY.replace('new_customers', `f${i}`)).join('\n');
    for (let i = 0; i < 400; i++) writeFileSync(join(dir, 'src', `m${i}.py`), big);
    const server = new TestServer({ workspaceFolders: [pathToFileURL(dir).href] });
    const statuses: AnalysisStatus[] = [];
    server.connection.onNotification(AnalysisStatusNotification, (s) => void statuses.push(s));
    let progressToken: string | number | undefined;
    server.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      progressToken = p.token;
      return null;
    });
    try {
      await server.initialize();
      const cts = new CancellationTokenSource();
      const waiting = pull(server, new Map(), cts).catch(() => []);
      await server.until(() => progressToken !== undefined && statuses.some((s) => s.workspace.state === 'checking' && s.workspace.checked > 0), 'the check under way');
      await server.connection.sendNotification('window/workDoneProgress/cancel', { token: progressToken });
      await server.until(() => statuses.some((s) => s.workspace.state === 'cancelled'), 'a cancelled status');
      const last = statuses[statuses.length - 1].workspace;
      assert.ok(last.checked < last.total, `stopped early: ${last.checked} of ${last.total}`);
      cts.cancel();
      await waiting;
    } finally {
      await server.shutdown();
    }
  });
});
