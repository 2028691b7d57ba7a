// Completion UI: a status bar item with the last inline completion's latency and how many prompt
// tokens it reused from the edit-aware KV cache versus evaluated; the commands Trigger Completion
// (asks VS Code for inline suggestions now: the server treats it as explicit) and Toggle Manual
// Completion Mode (hotpath.completion.trigger automatic <-> manual). Ghost text itself comes from
// vscode-languageclient's built-in inline completion support.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompletionStatusNotification, type CompletionStats } from '../../server/src/protocol';

function compact(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export function render(item: vscode.StatusBarItem, s: CompletionStats, manual: boolean): void {
  const mode = manual ? ' (manual)' : '';
  if (s.source === 'typeahead') {
    item.text = `$(sparkle) ${s.latencyMs.toFixed(0)} ms · typed ahead${mode}`;
  } else {
    item.text = `$(sparkle) ${s.latencyMs.toFixed(0)} ms · ${compact(s.reused)} reused / ${compact(s.evaluated)} eval${mode}`;
  }
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Hotpath completion**${mode}\n\n`);
  md.appendMarkdown(`- Latency: ${s.latencyMs.toFixed(0)} ms (${s.source === 'typeahead' ? 'the suggestion you are typing into, no model call' : s.backend ?? 'model'})\n`);
  md.appendMarkdown(`- Prompt: ${s.promptTokens} tokens, ${s.reused} reused from the KV cache, ${s.evaluated} evaluated${s.reencoded ? ' (re-encoded)' : ''}\n`);
  md.appendMarkdown(`- Stale cells awaiting background repair: ${s.stale}\n`);
  md.appendMarkdown(`- Candidates: ${s.candidates}, dropped by the efficiency filter: ${s.dropped}\n`);
  if (s.rejected.length) md.appendMarkdown(`- Ranked down: ${s.rejected.map((r) => r.reason).join('; ')}\n`);
  md.appendMarkdown('\nClick to toggle manual mode. Details in the Hotpath output channel.');
  item.tooltip = md;
}

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('hotpath.completion', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Hotpath Completion';
  item.command = 'hotpath.completion.toggleManual';
  const manual = () => vscode.workspace.getConfiguration('hotpath.completion').get<string>('trigger') === 'manual';
  context.subscriptions.push(
    item,
    client.onNotification(CompletionStatusNotification, (s) => {
      render(item, s, manual());
      item.show();
    }),
    vscode.commands.registerCommand('hotpath.completion.trigger', () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),
    vscode.commands.registerCommand('hotpath.completion.toggleManual', async () => {
      const next = manual() ? 'automatic' : 'manual';
      await vscode.workspace.getConfiguration('hotpath.completion').update('trigger', next, vscode.ConfigurationTarget.Global);
      void vscode.window.setStatusBarMessage(`Hotpath completions: ${next === 'manual' ? 'manual (Trigger Completion to ask)' : 'as you type'}`, 3000);
    }),
  );
}
