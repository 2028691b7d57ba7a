// Verified rewrites in the editor: "Hotpath: Optimize Function with Local Model" (palette, and the
// server's "Optimize with local model" code action), "Measure this fix". The work runs in the
// server (hotpath/optimize, hotpath/measureFix), which reports LSP work-done progress (a
// cancellable notification). Every candidate and why it was rejected goes to the Hotpath output
// channel. A verified rewrite is never applied directly: a diff opens beside the file and the user
// picks Apply or Cancel (the light bulb's "Replace with verified rewrite" goes through VS Code's
// refactor preview instead: its edit is annotated with needsConfirmation).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MeasureFixRequest, OptimizeRequest, type MeasureFixParams, type OptimizeParams, type OptimizeResponse } from '../../server/src/protocol';
import { showError } from './model';

const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'];
const SCHEME = 'hotpath-rewrite';

/** Proposed texts shown in diffs, by virtual URI. */
const proposals = new Map<string, string>();

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Verifying a rewrite runs your code: Hotpath does it only in a trusted workspace.', 'Manage Workspace Trust').then((c) => {
    if (c) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Apply replacements given as offsets of `text` (non-overlapping), from the end. */
function applyOffsets(text: string, reps: { startIndex: number; endIndex: number; newText: string }[]): string {
  let out = text;
  for (const r of [...reps].sort((a, b) => b.startIndex - a.startIndex)) out = out.slice(0, r.startIndex) + r.newText + out.slice(r.endIndex);
  return out;
}

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const output = client.outputChannel;
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => proposals.get(uri.toString()) ?? '' }),
  );

  const offer = async (uri: vscode.Uri, r: OptimizeResponse) => {
    // Without a model only Hotpath's own rule fixes were verified: say so in every outcome.
    const noModel = r.modelUsed ? '' : 'No model is configured, so no model was asked: ';
    if (!r.modelUsed && !r.best) {
      void vscode.window.showWarningMessage(`Hotpath: ${noModel}Hotpath's own fix for ${r.functionName} was not verified (reasons in the output channel).`, 'Select Model', 'Show Output').then((c) => {
        if (c === 'Select Model') void vscode.commands.executeCommand('hotpath.selectModel');
        else if (c) output.show(true);
      });
      return;
    }
    if (!r.best && !r.outcomes.length && r.notes.length) {
      void vscode.window.showWarningMessage(`Hotpath: no candidate for ${r.functionName}: ${r.notes[0]}`, 'Show Output').then((c) => {
        if (c) output.show(true);
      });
      return;
    }
    if (!r.best) {
      void vscode.window.showInformationMessage(`Hotpath: no rewrite of ${r.functionName} was verified (${r.outcomes.length} candidate(s) rejected; reasons in the output channel).`, 'Show Output').then((c) => {
        if (c) output.show(true);
      });
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (r.best.version !== undefined && doc.version !== r.best.version) {
      void vscode.window.showWarningMessage('Hotpath: the file changed while the rewrite was verified; run Optimize again.');
      return;
    }
    const proposed = vscode.Uri.from({ scheme: SCHEME, path: uri.path, query: `v=${Date.now()}` });
    proposals.set(proposed.toString(), applyOffsets(doc.getText(), r.best.replacements));
    await vscode.commands.executeCommand('vscode.diff', uri, proposed, `${r.functionName}: verified rewrite (${r.best.title.replace(/^Replace with verified rewrite: /, '')})`, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    const fromRule = /^rule (HP\d+)$/.exec(r.best.origin)?.[1];
    const detail = `${fromRule ? `${noModel}this is Hotpath's own ${fromRule} fix, not a model's rewrite. ` : ''}Verified: same results, argument mutations and exceptions on generated inputs; measured faster. Review the diff before applying.`;
    const choice = await vscode.window.showInformationMessage(r.best.title.replace(/^Replace with/, 'Apply the'), { modal: true, detail }, 'Apply');
    proposals.delete(proposed.toString());
    if (choice !== 'Apply') return;
    if (doc.version !== r.best.version) {
      void vscode.window.showWarningMessage('Hotpath: the file changed; the rewrite was not applied.');
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const rep of r.best.replacements) edit.replace(uri, new vscode.Range(doc.positionAt(rep.startIndex), doc.positionAt(rep.endIndex)), rep.newText);
    await vscode.workspace.applyEdit(edit);
  };

  const optimize = async (arg?: { uri?: string; functionName?: string }) => {
    if (!trusted()) return;
    let uri: vscode.Uri;
    const params: OptimizeParams = { uri: '' };
    if (arg?.uri) {
      uri = vscode.Uri.parse(arg.uri);
      params.uri = arg.uri;
      params.functionName = arg.functionName;
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
        void vscode.window.showInformationMessage('Hotpath: put the cursor inside a top-level Python, JavaScript or TypeScript function.');
        return;
      }
      uri = editor.document.uri;
      params.uri = uri.toString();
      params.position = { line: editor.selection.active.line, character: editor.selection.active.character };
    }
    try {
      const r = await client.sendRequest(OptimizeRequest, params);
      output.appendLine(`optimize ${r.functionName}${r.fromCache ? ' (cached)' : ''}:`);
      for (const l of r.text.split('\n')) output.appendLine(`  ${l}`);
      await offer(uri, r);
    } catch (err) {
      if ((err as { data?: { kind?: string } })?.data?.kind === 'cancelled') return;
      await showError(err, output);
    }
  };

  // "Measure this fix": the measurement goes into the fix's title (the light bulb shows it from now
  // on) and the answer offers Apply.
  const measureFix = async (arg: MeasureFixParams) => {
    if (!trusted() || !arg) return;
    try {
      const r = await client.sendRequest(MeasureFixRequest, arg);
      output.appendLine(`measure fix ${arg.code} in ${r.functionName}: ${r.text}`);
      const message = `Hotpath: ${r.title}`;
      const buttons = r.edit ? ['Apply', 'Show Output'] : ['Show Output'];
      const choice = await (r.outcome.accepted ? vscode.window.showInformationMessage(message, ...buttons) : vscode.window.showWarningMessage(message, ...buttons));
      if (choice === 'Show Output') output.show(true);
      if (choice === 'Apply' && r.edit) {
        const measured = (r.edit.documentChanges?.[0] as { textDocument?: { version?: number | null } } | undefined)?.textDocument?.version;
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.uri);
        const edit = await client.protocol2CodeConverter.asWorkspaceEdit(r.edit);
        if (!doc || doc.version !== measured || !(await vscode.workspace.applyEdit(edit))) void vscode.window.showWarningMessage('Hotpath: the file changed since the fix was measured; it was not applied (measure it again).');
      }
    } catch (err) {
      if ((err as { data?: { kind?: string } })?.data?.kind === 'cancelled') return;
      await showError(err, output);
    }
  };

  context.subscriptions.push(vscode.commands.registerCommand('hotpath.optimizeFunction', optimize), vscode.commands.registerCommand('hotpath.measureFix', measureFix));
}
