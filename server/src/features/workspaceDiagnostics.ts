// Workspace diagnostics (LSP pull model, `workspace/diagnostic`): the findings of files that are not
// open, so the Problems panel lists the whole workspace, as ESLint and Ruff users expect. Open
// documents keep their pushed diagnostics (diagnostics.ts, on every keystroke; a pull for one answers
// its diagnostics only to a client that does not take them pushed, see featureContext.ts DiagnosticDelivery); this
// feature covers the rest from disk:
//   - a check walks the workspace folders (honouring .gitignore, the project's `exclude`, the size
//     limit) and analyses each file with the open-document policy (project selection, editor
//     select/ignore, suppression comments): more than 20 files in worker threads (analysis/pool.ts,
//     one core left to the editor), a few on the event loop between other messages; work-done
//     progress with a Cancel button; results are streamed as partial results;
//   - afterwards it follows the files on disk (the client watches them): a changed file is analysed
//     again, a deleted one cleared; a settings or project configuration change re-checks everything;
//   - `workspace/diagnostic` is a long poll: it answers with the reports the client does not have
//     yet (by result id) and otherwise waits until something changes or the client cancels.
// `hotpath.workspaceDiagnostics` (default on) checks in the background from the start; off, only
// "Hotpath: Check Workspace" (hotpath/checkWorkspace) does. The analysis status (files checked,
// findings, failures) is pushed as hotpath/analysis/status for the status bar.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWorkspaceFoldersNotification,
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Diagnostic,
  type FileEvent,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { isExcluded, loadProjectConfig, type ProjectSelections } from '../analysis/config';
import { DocumentAnalysis } from '../analysis/document';
import type { LanguageSpec } from '../analysis/language';
import { AnalysisPool } from '../analysis/pool';
import type { Finding } from '../analysis/rule';
import { collectFiles, isWalked } from '../analysis/files';
import { readSourceText } from '../analysis/sourceFile';
import { documentView } from '../documents';
import type { Feature, ServerContext } from '../featureContext';
import { languageForPath } from '../languages';
import type { GrammarName, Parser } from '../parsing';
import { AnalysisStatusNotification, CheckWorkspaceRequest, type WorkspaceCheckStatus } from '../protocol';
import type { HotpathSettings } from '../settings';
import { withWorkDoneProgress } from './request';
import { PROJECT_CONFIG_FILES, toDiagnostic, visibleOf } from './findings';

/** What is known about one file on disk. */
interface Entry {
  path: string;
  mtimeMs: number;
  size: number;
  resultId: string;
  diagnostics: Diagnostic[];
  skipped?: string;
  failed?: boolean;
}

const isSource = (path: string) => languageForPath(path) !== undefined;

/** Reported to a client as cleared (deleted, excluded, moved out of the workspace): the id it now holds. */
const GONE = 'gone';

export interface WorkspaceSettings {
  /** Check in the background from the start (else only on Check Workspace). */
  automatic: boolean;
  maxBytes: number;
}

export function workspaceSettingsOf(s: HotpathSettings): WorkspaceSettings {
  return { automatic: s.workspaceDiagnostics !== false, maxBytes: (s.maxFileSizeKB > 0 ? s.maxFileSizeKB : 2048) * 1024 };
}

/** The disk analysis of one file: diagnostics as the editor would show them if it were open. */
export function analyseFile(path: string, uri: string, settings: HotpathSettings, parserFor: (grammar: GrammarName) => Parser, projects: ProjectSelections, log: (m: string) => void): Omit<Entry, 'resultId' | 'mtimeMs' | 'size'> {
  const source = sourceOf(path, settings);
  if ('skipped' in source) return { path, diagnostics: [], skipped: source.skipped };
  const analysis = new DocumentAnalysis(source.spec, parserFor(source.spec.grammar), source.text);
  try {
    const failures = analysis.failures.map((f) => ({ code: f.code, message: String((f.error as Error)?.message ?? f.error) }));
    return entryOf(path, uri, source, analysis.findings(), failures, settings, projects, log);
  } finally {
    analysis.dispose();
  }
}

/** The same in a worker thread of `pool` (the event loop only reads the file and presents the findings). */
export async function analyseFileIn(pool: AnalysisPool, path: string, uri: string, settings: HotpathSettings, projects: ProjectSelections, log: (m: string) => void): Promise<Omit<Entry, 'resultId' | 'mtimeMs' | 'size'>> {
  const source = sourceOf(path, settings);
  if ('skipped' in source) return { path, diagnostics: [], skipped: source.skipped };
  const { result } = await pool.run({ language: source.spec.id, text: source.text });
  return entryOf(path, uri, source, result.findings, result.failures, settings, projects, log);
}

function sourceOf(path: string, settings: HotpathSettings): { spec: LanguageSpec; text: string } | { skipped: string } {
  const spec = languageForPath(path);
  if (!spec) return { skipped: 'not a Python, JavaScript or TypeScript file' };
  const source = readSourceText(path, workspaceSettingsOf(settings).maxBytes, spec.decodeSource);
  if (source.skipped !== undefined) return { skipped: source.skipped };
  return { spec, text: source.text };
}

function entryOf(path: string, uri: string, source: { spec: LanguageSpec; text: string }, findings: Finding[], failures: { code: string; message: string }[], settings: HotpathSettings, projects: ProjectSelections, log: (m: string) => void): Omit<Entry, 'resultId' | 'mtimeMs' | 'size'> {
  const doc = documentView(uri, source.spec, source.text, null);
  const diagnostics = visibleOf(findings, doc, settings, projects).map((f) => toDiagnostic(doc, f));
  for (const failure of failures) log(`${path}: rule ${failure.code} failed: ${failure.message}`);
  return { path, diagnostics, failed: failures.length > 0 };
}

/** The settings findings depend on. */
function findingsKey(s: HotpathSettings): string {
  return JSON.stringify([s.enable, s.select, s.ignore, s.maxFileSizeKB, s.workspaceDiagnostics]);
}

/** A promise that resolves on the next `signal()` or when the token is cancelled. */
class Signal {
  private waiters: (() => void)[] = [];
  wait(token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const sub = token.onCancellationRequested(() => done());
      const done = () => {
        sub.dispose();
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      if (token.isCancellationRequested) return done();
      this.waiters.push(done);
    });
  }
  signal(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
}

export class WorkspaceChecker {
  private readonly entries = new Map<string, Entry>();
  /** Files to look at again (changed or created on disk, or just closed in the editor). */
  private readonly dirty = new Set<string>();
  private needsWalk = true;
  /** Forget every result (settings or configuration changed, or Check Workspace): analyse again. */
  private needsReanalysis = false;
  private requested = false;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private status: WorkspaceCheckStatus = { state: 'off', checked: 0, total: 0, files: 0, findings: 0, filesWithFindings: 0, skipped: 0, failed: 0 };
  private readonly changed = new Signal();
  private readonly streams = new Set<(uri: string) => void>();
  private nextId = 1;
  private readonly parsers = new Map<GrammarName, Parser>();
  /** The settings the findings depend on, to re-check only when they change. */
  private settingsKey = '';
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ServerContext) {}

  private parserFor = (grammar: GrammarName): Parser => {
    let p = this.parsers.get(grammar);
    if (!p) this.parsers.set(grammar, (p = this.ctx.parsers.create(grammar)));
    return p;
  };

  private async active(): Promise<boolean> {
    const s = await this.ctx.settings.get();
    return s.enable !== false && (this.requested || workspaceSettingsOf(s).automatic);
  }

  /** Settings changed: check again when one that findings depend on did. */
  async onSettingsChanged(): Promise<void> {
    const key = findingsKey(await this.ctx.settings.get());
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.invalidate();
  }

  private async folders(): Promise<string[]> {
    try {
      const folders = (await this.ctx.connection.workspace.getWorkspaceFolders()) ?? [];
      return folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
    } catch {
      return []; // a client without workspace folders: nothing to walk
    }
  }

  /** Everything changed (settings, project configuration): analyse every file again. */
  invalidate(): void {
    this.needsWalk = true;
    this.needsReanalysis = true;
    this.changed.signal();
  }

  onFilesChanged(changes: FileEvent[]): void {
    let any = false;
    for (const c of changes) {
      if (!c.uri.startsWith('file:')) continue;
      const name = c.uri.slice(c.uri.lastIndexOf('/') + 1);
      if (PROJECT_CONFIG_FILES.includes(name) || name === '.gitignore') {
        this.invalidate();
        return;
      }
      if (languageForPath(name) || this.entries.has(c.uri)) {
        this.dirty.add(c.uri);
        any = true;
      }
    }
    if (any) this.changed.signal();
  }

  /** A document was closed: its findings now come from disk (after the client's last pull of it). */
  onClosed(uri: string): void {
    if (!languageForPath(uri)) return;
    this.dirty.add(uri);
    setTimeout(() => this.changed.signal(), 300).unref?.();
  }

  /** Check Workspace: analyse everything again now, even when workspace diagnostics are off. */
  async checkNow(): Promise<WorkspaceCheckStatus> {
    this.requested = true;
    this.abort?.abort();
    await this.running?.catch(() => undefined);
    this.invalidate();
    await this.refresh();
    return this.status;
  }

  /** Bring the entries up to date (one refresh at a time; callers share it). */
  refresh(): Promise<void> {
    this.running ??= this.doRefresh().finally(() => (this.running = undefined));
    return this.running;
  }

  private async doRefresh(): Promise<void> {
    if (!(await this.active())) {
      this.setStatus({ state: 'off' });
      return;
    }
    if (this.status.state === 'cancelled' && !this.needsReanalysis && this.dirty.size === 0) return;
    const settings = await this.ctx.settings.get();
    this.settingsKey ||= findingsKey(settings);
    let todo: string[];
    if (this.needsWalk) {
      const roots = await this.folders();
      const files = new Set<string>();
      for (const root of roots) {
        try {
          for (const f of collectFiles([root], isSource, [], false)) files.add(pathToFileURL(f).href);
        } catch (err) {
          this.ctx.log(`workspace check: cannot walk ${root}: ${(err as Error).message}`);
        }
      }
      for (const uri of this.entries.keys()) if (!files.has(uri)) this.forget(uri);
      todo = [...files];
      if (this.needsReanalysis) for (const e of this.entries.values()) e.mtimeMs = -1;
      this.needsWalk = false;
      this.needsReanalysis = false;
      this.dirty.clear();
    } else {
      const roots = await this.folders();
      todo = [];
      for (const uri of this.dirty) {
        const path = fileURLToPath(uri);
        const root = roots.find((r) => path.startsWith(r));
        if (!root || !existsSync(path) || !isWalked(root, path, isSource, [], false)) this.forget(uri);
        else todo.push(uri);
      }
      this.dirty.clear();
    }
    todo = todo.filter((uri) => !this.ctx.documents.get(uri));
    if (todo.length === 0) {
      this.setStatus({ state: 'done' });
      return;
    }
    const started = Date.now();
    const ac = new AbortController();
    this.abort = ac;
    this.setStatus({ state: 'checking', checked: 0, total: todo.length });
    const many = todo.length > 20;
    // A real check analyses in worker threads, leaving a core to the editor's keystrokes (one file
    // in flight per worker and one queued); a few files are analysed here, between other messages.
    const pool = many ? new AnalysisPool(Math.max(1, availableParallelism() - 1), { parser: 'wasm' }) : undefined;
    if (pool) this.ctx.log(`workspace check: ${todo.length} files in ${pool.size} worker thread${pool.size === 1 ? '' : 's'}`);
    const work = async (signal: AbortSignal, report: (percent: number, message: string) => void) => {
      let next = 0;
      let checked = 0;
      const lane = async () => {
        while (next < todo.length) {
          if (signal.aborted || ac.signal.aborted) return false;
          await this.analyse(todo[next++], settings, pool);
          this.setStatus({ checked: ++checked });
          if (many && checked % 10 === 1) report(Math.round((checked / todo.length) * 100), `${checked} of ${todo.length} files`);
          if (!pool) await new Promise((resolve) => setImmediate(resolve)); // let keystrokes and other requests in
        }
        return true;
      };
      const lanes = await Promise.all(Array.from({ length: pool ? pool.size * 2 : 1 }, lane));
      return lanes.every(Boolean) && !(signal.aborted || ac.signal.aborted);
    };
    // Only a real check shows progress: re-analysing the file just saved should not flash a notification.
    let complete: boolean;
    try {
      complete = many ? await withWorkDoneProgress(this.ctx, 'Hotpath: checking the workspace', undefined, work) : await work(ac.signal, () => undefined);
    } finally {
      await pool?.close();
    }
    this.abort = undefined;
    if (complete) this.setStatus({ state: 'done', durationMs: Date.now() - started });
    else {
      this.setStatus({ state: 'cancelled' });
      this.ctx.log(`workspace check cancelled after ${this.status.checked} of ${todo.length} files`);
    }
  }

  private async analyse(uri: string, settings: HotpathSettings, pool?: AnalysisPool): Promise<void> {
    const path = fileURLToPath(uri);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      this.forget(uri);
      return;
    }
    const old = this.entries.get(uri);
    if (old && old.mtimeMs === stat.mtimeMs && old.size === stat.size) return;
    let project;
    try {
      project = loadProjectConfig(path);
    } catch (err) {
      this.ctx.log((err as Error).message);
    }
    if (project && isExcluded(path, project)) {
      this.forget(uri);
      return;
    }
    let result: Omit<Entry, 'resultId' | 'mtimeMs' | 'size'>;
    try {
      result = pool ? await analyseFileIn(pool, path, uri, settings, this.ctx.projectSelections, this.ctx.log).catch((err) => {
        // A worker that cannot start or died: this file is analysed here instead.
        this.ctx.log(`workspace check: ${path}: ${(err as Error)?.message ?? err}; analysing it on the main thread`);
        return analyseFile(path, uri, settings, this.parserFor, this.ctx.projectSelections, this.ctx.log);
      }) : analyseFile(path, uri, settings, this.parserFor, this.ctx.projectSelections, this.ctx.log);
    } catch (err) {
      this.ctx.log(`workspace check: ${path}: ${(err as Error)?.stack ?? err}`);
      result = { path, diagnostics: [], failed: true };
    }
    const same = old && JSON.stringify(old.diagnostics) === JSON.stringify(result.diagnostics);
    this.entries.set(uri, { ...result, mtimeMs: stat.mtimeMs, size: stat.size, resultId: same ? old.resultId : String(this.nextId++) });
    if (!same) for (const s of this.streams) s(uri);
  }

  private forget(uri: string): void {
    if (!this.entries.delete(uri)) return;
    for (const s of this.streams) s(uri);
  }

  /** The report for one file, as a client that holds `previous` should receive it (undefined: nothing new). */
  private reportFor(uri: string, previous: string | undefined): WorkspaceDocumentDiagnosticReport | undefined {
    if (this.ctx.documents.get(uri)) return undefined; // open: the pushed diagnostics cover it
    const e = this.entries.get(uri);
    if (!e) return previous !== undefined && previous !== GONE ? { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: GONE, items: [] } : undefined;
    if (previous === e.resultId) return undefined;
    return { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: e.resultId, items: e.diagnostics };
  }

  /** The `workspace/diagnostic` handler: reports the client lacks, streamed; waits while there are none. */
  async poll(previousResultIds: { uri: string; value: string }[], token: CancellationToken, report?: (items: WorkspaceDocumentDiagnosticReport[]) => void): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const known = new Map(previousResultIds.map((p) => [p.uri, p.value]));
    const pending: WorkspaceDocumentDiagnosticReport[] = [];
    const take = (uri: string) => {
      const r = this.reportFor(uri, known.get(uri));
      if (!r) return;
      known.set(uri, r.resultId ?? GONE);
      if (report) report([r]);
      else pending.push(r);
    };
    this.streams.add(take);
    try {
      for (;;) {
        if (token.isCancellationRequested) return pending;
        const wake = this.changed.wait(token);
        await this.refresh();
        for (const uri of new Set([...this.entries.keys(), ...known.keys()])) take(uri);
        if (pending.length || (report && this.sentSomething(known, previousResultIds))) return pending;
        await wake;
      }
    } finally {
      this.streams.delete(take);
    }
  }

  private sentSomething(known: Map<string, string>, before: { uri: string; value: string }[]): boolean {
    const was = new Map(before.map((p) => [p.uri, p.value]));
    for (const [uri, id] of known) if (was.get(uri) !== id) return true;
    return false;
  }

  /** The pull for one document: empty while it is open (its diagnostics are pushed), else from disk. */
  async documentReport(uri: string, token?: CancellationToken): Promise<Diagnostic[]> {
    // An open document: its own diagnostics when the client pulls them, else [] (they are pushed).
    const open = this.ctx.documents.get(uri);
    if (open) return this.ctx.diagnosticDelivery.pullOpen ? this.ctx.pulledDiagnostics(open, token) : [];
    if (!uri.startsWith('file:') || !(await this.active())) return [];
    const path = fileURLToPath(uri);
    const roots = await this.folders();
    const root = roots.find((r) => path.startsWith(r));
    if (!root || !existsSync(path) || !isWalked(root, path, isSource, [], false)) return [];
    await this.analyse(uri, await this.ctx.settings.get());
    return this.entries.get(uri)?.diagnostics ?? [];
  }

  current(): WorkspaceCheckStatus {
    return this.status;
  }

  private setStatus(patch: Partial<WorkspaceCheckStatus>): void {
    let findings = 0;
    let filesWithFindings = 0;
    let skipped = 0;
    let failed = 0;
    for (const e of this.entries.values()) {
      findings += e.diagnostics.length;
      if (e.diagnostics.length) filesWithFindings++;
      if (e.skipped) skipped++;
      if (e.failed) failed++;
    }
    this.status = { ...this.status, ...patch, files: this.entries.size, findings, filesWithFindings, skipped, failed };
    // Progress ticks are coalesced: at most four status notifications a second.
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      void this.ctx.connection.sendNotification(AnalysisStatusNotification, { workspace: this.status, openDocuments: this.ctx.documents.all().length }).catch(() => undefined);
    }, patch.state && patch.state !== 'checking' ? 0 : 250);
  }

}

export const feature: Feature = {
  // Workspace folder changes are declared here, statically, and handled as a plain notification:
  // `connection.workspace.onDidChangeWorkspaceFolders` would register them dynamically from inside
  // `initialize`, before the client accepts registrations (it answers "Unhandled method").
  capabilities: {
    diagnosticProvider: { identifier: 'hotpath', interFileDependencies: false, workspaceDiagnostics: true },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  },
  register(ctx) {
    const checker = new WorkspaceChecker(ctx);
    ctx.connection.languages.diagnostics.onWorkspace(async (params, token, _workDone, resultProgress) => {
      const items = await checker.poll(params.previousResultIds, token, resultProgress ? (items) => resultProgress.report({ items }) : undefined);
      return { items };
    });
    ctx.connection.languages.diagnostics.on(async (params, token) => ({
      kind: DocumentDiagnosticReportKind.Full,
      items: await checker.documentReport(params.textDocument.uri, token),
    }));
    ctx.connection.onRequest(CheckWorkspaceRequest, () => checker.checkNow());
    ctx.onDidChangeWatchedFiles((changes) => checker.onFilesChanged(changes));
    ctx.settings.onDidChange(() => void checker.onSettingsChanged());
    ctx.documents.onDidClose((uri) => checker.onClosed(uri));
    ctx.connection.onNotification(DidChangeWorkspaceFoldersNotification.type, () => checker.invalidate());
  },
};
