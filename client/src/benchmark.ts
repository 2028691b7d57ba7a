// Benchmark UI: the commands "Hotpath: Benchmark Function at Cursor" and "Hotpath: Compare with…",
// the "Measure it" code action on HP301 findings, and the results webview (client/webview/benchmark.ts:
// log–log chart with chart.js, table, what the columns mean; Re-run, Larger Sizes, Copy as Markdown).
// The work runs in the server (hotpath/benchmark, hotpath/compare), which reports progress and can
// be cancelled from the notification.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BenchmarkRequest, CompareRequest, FunctionsRequest, type BenchmarkParams, type BenchmarkResponse, type CompareParams, type CompareResponse, type ErrorData } from '../../server/src/protocol';

interface ServerError {
  message: string;
  data?: ErrorData;
}

const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

let panel: vscode.WebviewPanel | undefined;
let lastMarkdown = '';
/** What the panel shows, to run it again (Re-run, Larger Sizes). */
type Shown = { kind: 'benchmark'; params: BenchmarkParams; response: BenchmarkResponse } | { kind: 'compare'; params: CompareParams; response: CompareResponse };
let shown: Shown | undefined;
let rerun: ((larger: boolean) => Promise<void>) | undefined;
/** The webview drops messages sent before its script runs: hold the result until it says ready. */
let panelReady = false;
let pending: unknown;

function nonce(): string {
  let s = '';
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'benchmark', f));
  const n = nonce();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('style.css')}">
<title>Hotpath benchmark</title></head>
<body>
<div id="app"><p class="muted">Running…</p></div>
<script nonce="${n}" src="${media('chart.umd.js')}"></script>
<script nonce="${n}" src="${media('main.js')}"></script>
</body></html>`;
}

function post(message: unknown): void {
  if (panel && panelReady) void panel.webview.postMessage(message);
}

function show(context: vscode.ExtensionContext, what: Shown, title: string): void {
  shown = what;
  lastMarkdown = what.response.markdown;
  const message = { type: what.kind, response: what.response };
  if (!panel) {
    panelReady = false;
    pending = message;
    panel = vscode.window.createWebviewPanel('hotpath.benchmark', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    panel.webview.html = html(panel.webview, context.extensionUri);
    panel.onDidDispose(() => {
      panel = undefined;
      panelReady = false;
      pending = undefined;
    }, undefined, context.subscriptions);
    panel.webview.onDidReceiveMessage(async (m: { type: string }) => {
      if (m.type === 'ready') {
        panelReady = true;
        if (pending !== undefined) void panel?.webview.postMessage(pending);
        pending = undefined;
      } else if (m.type === 'copy') {
        await vscode.env.clipboard.writeText(lastMarkdown);
        void vscode.window.setStatusBarMessage('Hotpath: benchmark copied as Markdown', 3000);
      } else if ((m.type === 'rerun' || m.type === 'larger') && rerun) {
        await rerun(m.type === 'larger');
      }
    }, undefined, context.subscriptions);
  } else {
    panel.title = title;
    panel.reveal(vscode.ViewColumn.Beside, true);
    if (panelReady) void panel.webview.postMessage(message);
    else pending = message;
  }
}

async function reportError(err: unknown): Promise<void> {
  const e = err as ServerError;
  if (e?.data?.kind === 'cancelled' || /cancelled/i.test(e?.message ?? '')) {
    void vscode.window.setStatusBarMessage('Hotpath: benchmark cancelled', 3000);
    return;
  }
  const detail = e?.data?.detail;
  const choice = await vscode.window.showErrorMessage(`Hotpath: ${e?.message ?? String(err)}`, ...(detail ? ['Show Details'] : []));
  if (choice === 'Show Details' && detail) {
    const doc = await vscode.workspace.openTextDocument({ content: `${e.message}\n\n${detail}`, language: 'text' });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Hotpath runs your code only in a trusted workspace. Static analysis keeps working.', 'Manage Workspace Trust').then((c) => {
    if (c) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

function editorTarget(uriArg?: unknown, positionArg?: unknown): { uri: string; position: vscode.Position } | undefined {
  if (typeof uriArg === 'string' || uriArg instanceof vscode.Uri) {
    const p = positionArg as { line: number; character: number } | undefined;
    return { uri: uriArg.toString(), position: new vscode.Position(p?.line ?? 0, p?.character ?? 0) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
    void vscode.window.showInformationMessage('Hotpath: put the cursor inside a Python, JavaScript or TypeScript function.');
    return undefined;
  }
  return { uri: editor.document.uri.toString(), position: editor.selection.active };
}

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const benchmark = async (uriArg?: unknown, positionArg?: unknown) => {
    if (!trusted()) return;
    const target = editorTarget(uriArg, positionArg);
    if (!target) return;
    const params: BenchmarkParams = { uri: target.uri, position: { line: target.position.line, character: target.position.character } };
    try {
      const response = await client.sendRequest(BenchmarkRequest, params);
      show(context, { kind: 'benchmark', params, response }, `Benchmark: ${response.result.function}`);
    } catch (err) {
      await reportError(err);
    }
  };

  /** Options for "Larger Sizes": up to 8× the largest size measured, three times the time budget. */
  const largerOptions = (results: BenchmarkResponse['result'][], options: BenchmarkParams['options'] = {}): BenchmarkParams['options'] => {
    const top = Math.max(...results.flatMap((r) => r.points.map((p) => p.n)), 1);
    const budget = options.budgetMs ?? vscode.workspace.getConfiguration('hotpath.execution').get<number>('budgetMs') ?? 3000;
    return { ...options, maxN: Math.max(top * 8, options.maxN ?? 0), budgetMs: budget * 3 };
  };

  rerun = async (larger) => {
    const what = shown;
    if (!what || !trusted()) return;
    post({ type: 'running', what: larger ? 'Measuring again at larger sizes…' : 'Measuring again…' });
    try {
      if (what.kind === 'benchmark') {
        const params: BenchmarkParams = larger ? { ...what.params, options: largerOptions([what.response.result], what.params.options) } : what.params;
        const response = await client.sendRequest(BenchmarkRequest, params);
        show(context, { kind: 'benchmark', params, response }, `Benchmark: ${response.result.function}`);
      } else {
        const params: CompareParams = larger ? { ...what.params, options: largerOptions([what.response.result.baseline, what.response.result.candidate], what.params.options) } : what.params;
        const response = await client.sendRequest(CompareRequest, params);
        show(context, { kind: 'compare', params, response }, `Compare: ${response.result.baseline.function} vs ${response.result.candidate.function}`);
      }
    } catch (err) {
      post({ type: 'failed', message: `Not measured again: ${(err as Error)?.message ?? err}` });
      await reportError(err);
    }
  };

  const compare = async () => {
    if (!trusted()) return;
    const target = editorTarget();
    if (!target) return;
    try {
      const here = await client.sendRequest(FunctionsRequest, { uri: target.uri });
      const baseline = here.find((f, i) => f.line <= target.position.line && (here[i + 1]?.line ?? Infinity) > target.position.line);
      if (!baseline) {
        void vscode.window.showInformationMessage('Hotpath: put the cursor inside the top-level function to compare.');
        return;
      }
      type Pick = vscode.QuickPickItem & { name?: string; other?: boolean };
      const items: Pick[] = [
        ...here.filter((f) => f.name !== baseline.name).map((f) => ({ label: f.name, description: `line ${f.line + 1}`, name: f.name })),
        { label: '$(file) Function in another file…', other: true },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: `Compare ${baseline.name} with…`, placeHolder: 'the rewrite to check and measure' });
      if (!picked) return;
      let candidate: { uri?: string; path?: string; functionName: string };
      if (picked.other) {
        const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Python, JavaScript, TypeScript': ['py', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'jsx', 'tsx'] } });
        if (!files?.length) return;
        const there = await client.sendRequest(FunctionsRequest, { uri: files[0].toString() });
        const fn = await vscode.window.showQuickPick(there.map((f) => ({ label: f.name, description: `line ${f.line + 1}` })), { title: `Function in ${vscode.workspace.asRelativePath(files[0])}` });
        if (!fn) return;
        candidate = { uri: files[0].toString(), functionName: fn.label };
      } else candidate = { uri: target.uri, functionName: picked.name! };
      const params: CompareParams = { baseline: { uri: target.uri, functionName: baseline.name }, candidate };
      const response = await client.sendRequest(CompareRequest, params);
      show(context, { kind: 'compare', params, response }, `Compare: ${baseline.name} vs ${candidate.functionName}`);
      if (response.result.verdict === 'rejected') void vscode.window.showWarningMessage(`Hotpath: ${candidate.functionName} behaves differently from ${baseline.name}; see the first differing input in the results.`);
    } catch (err) {
      await reportError(err);
    }
  };

  const measureIt: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, ctx) {
      const actions: vscode.CodeAction[] = [];
      for (const d of ctx.diagnostics) {
        const code = typeof d.code === 'object' ? d.code.value : d.code;
        if (d.source !== 'hotpath' || String(code) !== 'HP301' || d.message.startsWith('Measured:')) continue;
        const action = new vscode.CodeAction('Measure it (benchmark at growing sizes)', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.command = { command: 'hotpath.benchmarkFunction', title: 'Measure it', arguments: [document.uri.toString(), d.range.start] };
        actions.push(action);
      }
      return actions;
    },
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('hotpath.benchmarkFunction', benchmark),
    vscode.commands.registerCommand('hotpath.compareWith', compare),
    vscode.languages.registerCodeActionsProvider(LANGUAGES.map((language) => ({ language })), measureIt, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}
