// Analysis UI: a status bar item for the analysis itself (files checked, findings, failures, the
// workspace check under way, the server starting, restarting or stopped), the commands Check
// Workspace (hotpath/checkWorkspace, then the Problems panel), Fix All Safe Findings in File (the
// source.fixAll.hotpath action), Restart Server, Show Rule (a rule's
// page, which diagnostics link their code to), and the link rewrite that opens rule pages as a
// Markdown preview instead of their source.
import * as vscode from 'vscode';
import { State, type LanguageClient, type Middleware } from 'vscode-languageclient/node';
import { AnalysisStatusNotification, CheckWorkspaceRequest, type AnalysisStatus, type WorkspaceCheckStatus } from '../../server/src/protocol';

/** The rule page of a diagnostic code link (file:…/rules/HP101.md), or undefined. */
export function ruleOfLink(target: vscode.Uri): string | undefined {
  if (target.scheme !== 'file') return undefined;
  return /\/rules\/(HP\d+)\.md$/.exec(target.path)?.[1];
}

/** Diagnostics link their code to the rule's page: open it as a preview (command link) in VS Code. */
export function linkRulePages(diagnostics: readonly vscode.Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.source !== 'hotpath' || typeof d.code !== 'object' || !d.code) continue;
    const code = ruleOfLink(d.code.target);
    if (code) d.code = { value: d.code.value, target: vscode.Uri.parse(`command:hotpath.showRule?${encodeURIComponent(JSON.stringify([code]))}`) };
  }
}

type ReportWithItems = { kind?: string; items?: vscode.Diagnostic[] };

/** Client middleware applying linkRulePages to pushed and pulled diagnostics. */
export const ruleLinkMiddleware: Middleware = {
  handleDiagnostics(uri, diagnostics, next) {
    linkRulePages(diagnostics);
    next(uri, diagnostics);
  },
  async provideDiagnostics(document, previousResultId, token, next) {
    const report = (await next(document, previousResultId, token)) as ReportWithItems | undefined | null;
    if (report?.items) linkRulePages(report.items);
    return report as never;
  },
  provideWorkspaceDiagnostics(resultIds, token, resultReporter, next) {
    return next(resultIds, token, (chunk) => {
      for (const item of (chunk?.items ?? []) as ReportWithItems[]) if (item.items) linkRulePages(item.items);
      resultReporter(chunk);
    });
  },
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Text and tooltip of the analysis status item. */
export function describeStatus(s: AnalysisStatus | undefined, server: 'starting' | 'running' | 'restarting' | 'stopped'): { text: string; tooltip: string; error: boolean } {
  if (server === 'starting') return { text: '$(sync~spin) Hotpath', tooltip: 'Hotpath: the language server is starting.', error: false };
  if (server === 'restarting') return { text: '$(sync~spin) Hotpath restarting', tooltip: 'Hotpath: the language server stopped and is restarting.', error: false };
  if (server === 'stopped') return { text: '$(error) Hotpath stopped', tooltip: 'Hotpath: the language server stopped and was not restarted. Click to restart it; the output channel says why it stopped.', error: true };
  const w: WorkspaceCheckStatus | undefined = s?.workspace;
  const lines = ['**Hotpath analysis**', ''];
  let text = '$(checklist) Hotpath';
  if (!w || w.state === 'off') {
    lines.push(`- ${plural(s?.openDocuments ?? 0, 'open file')} checked as you type`, '- Files that are not open are not checked (`hotpath.workspaceDiagnostics` is off): run **Hotpath: Check Workspace**');
  } else {
    if (w.state === 'checking') text = `$(sync~spin) Hotpath ${w.checked}/${w.total}`;
    else text = `$(checklist) Hotpath: ${plural(w.findings, 'finding')}`;
    lines.push(
      `- Workspace: ${plural(w.files, 'file')} checked, ${plural(w.findings, 'finding')} in ${plural(w.filesWithFindings, 'file')} (files that are not open; open ones are checked as you type)`,
    );
    if (w.state === 'checking') lines.push(`- Checking: ${w.checked} of ${w.total}`);
    if (w.state === 'cancelled') lines.push('- The last check was cancelled: run **Hotpath: Check Workspace** to finish it');
    if (w.durationMs !== undefined && w.state === 'done') lines.push(`- Last check: ${(w.durationMs / 1000).toFixed(1)} s`);
    if (w.skipped) lines.push(`- Skipped: ${plural(w.skipped, 'file')} (too large, binary, minified or not UTF-8)`);
    if (w.failed) {
      lines.push(`- $(warning) ${plural(w.failed, 'file')} could not be fully analysed (details in the output channel)`);
      text += ` $(warning) ${w.failed}`;
    }
  }
  lines.push('', 'Click for Check Workspace, Problems, output and settings.');
  return { text, tooltip: lines.join('\n'), error: false };
}

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('hotpath.analysis', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Hotpath Analysis';
  item.command = 'hotpath.analysisActions';
  let last: AnalysisStatus | undefined;
  let server: 'starting' | 'running' | 'restarting' | 'stopped' = 'starting';
  let everRunning = false;
  const render = () => {
    const d = describeStatus(last, server);
    item.text = d.text;
    const md = new vscode.MarkdownString(d.tooltip, true);
    item.tooltip = md;
    item.backgroundColor = d.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.command = server === 'stopped' ? 'hotpath.restartServer' : 'hotpath.analysisActions';
  };
  render();
  item.show();

  context.subscriptions.push(
    item,
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        server = 'running';
        everRunning = true;
      } else if (e.newState === State.Starting) server = everRunning ? 'restarting' : 'starting';
      else server = 'stopped';
      render();
    }),
    client.onNotification(AnalysisStatusNotification, (s) => {
      last = s;
      render();
    }),
    vscode.commands.registerCommand('hotpath.checkWorkspace', async () => {
      try {
        const r = await client.sendRequest(CheckWorkspaceRequest);
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        const what = `${plural(r.files, 'file')} checked: ${plural(r.findings, 'finding')} in ${plural(r.filesWithFindings, 'file')}`;
        if (r.state === 'cancelled') void vscode.window.showWarningMessage(`Hotpath: the workspace check was cancelled (${what} so far).`);
        else void vscode.window.setStatusBarMessage(`Hotpath: ${what}${r.failed ? `, ${plural(r.failed, 'file')} could not be fully analysed (see the output)` : ''}.`, 8000);
      } catch (err) {
        void vscode.window.showErrorMessage(`Hotpath: the workspace check failed: ${(err as Error)?.message ?? err}`, 'Show Output').then((c) => {
          if (c) client.outputChannel.show(true);
        });
      }
    }),
    // The source action, for the palette and key bindings (editor.codeActionsOnSave uses the kind directly).
    vscode.commands.registerCommand('hotpath.fixAll', () => vscode.commands.executeCommand('editor.action.codeAction', { kind: 'source.fixAll.hotpath', apply: 'first' })),
    vscode.commands.registerCommand('hotpath.restartServer', async () => {
      server = 'restarting';
      render();
      await client.restart();
    }),
    vscode.commands.registerCommand('hotpath.showRule', async (code?: string) => {
      const rule = typeof code === 'string' && /^HP\d+$/.test(code) ? code : undefined;
      if (!rule) return;
      const page = vscode.Uri.joinPath(context.extensionUri, 'dist', 'rules', `${rule}.md`);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', page);
      } catch {
        await vscode.window.showTextDocument(page, { preview: true });
      }
    }),
    vscode.commands.registerCommand('hotpath.analysisActions', async () => {
      const actions: (vscode.QuickPickItem & { command: string; args?: unknown[] })[] = [
        { label: '$(search) Check Workspace', description: 'analyse every file again now', command: 'hotpath.checkWorkspace' },
        { label: '$(warning) Show Problems', command: 'workbench.actions.view.problems' },
        { label: '$(output) Show Output', command: 'hotpath.showOutput' },
        { label: '$(settings-gear) Open Settings', command: 'workbench.action.openSettings', args: ['@ext:hotpath.hotpath'] },
        { label: '$(debug-restart) Restart Server', command: 'hotpath.restartServer' },
      ];
      const pick = await vscode.window.showQuickPick(actions, { title: 'Hotpath analysis' });
      if (pick) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
    }),
  );
}
