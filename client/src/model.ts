// Model UI: a status bar item (model, device, engine state), and the commands Select Model,
// Download Model (server-side download with progress, resume and checksum), Benchmark Model and
// Set API Key (kept in VS Code's SecretStorage and passed to the server, never in settings).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ModelBenchmarkRequest, ModelDownloadRequest, ModelLoadRequest, ModelStatusNotification, ModelStatusRequest, ModelUnloadRequest, SetApiKeyNotification, type ModelStatus } from '../../server/src/protocol';

const SECRET = 'hotpath.model.apiKey';

function whenRunning(client: LanguageClient): Promise<void> {
  if (client.state === State.Running) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        sub.dispose();
        resolve();
      }
    });
  });
}

function render(item: vscode.StatusBarItem, s: ModelStatus): void {
  const icon = { idle: '$(circle-outline)', loading: '$(sync~spin)', ready: '$(hubot)', failed: '$(error)', unconfigured: '$(circle-slash)' }[s.state] ?? '$(hubot)';
  const device = s.device ? ` · ${s.device.replace(/ \(.*\)$/, '')}` : '';
  item.text = s.state === 'unconfigured' ? `${icon} No model` : `${icon} ${s.model ?? 'model'}${device}`;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Hotpath model** (${s.backend})\n\n`);
  md.appendMarkdown(`- State: ${s.state}\n`);
  if (s.model) md.appendMarkdown(`- Model: ${s.model}\n`);
  if (s.device) md.appendMarkdown(`- Device: ${s.device}\n`);
  if (s.fim) md.appendMarkdown(`- FIM format: ${s.fim}\n`);
  const c = s.counters;
  if (c) {
    md.appendMarkdown(`- Tokens: ${c.tokensEvaluated} evaluated, ${c.tokensReused} reused from cache, ${c.tokensGenerated} generated\n`);
    if (c.last) md.appendMarkdown(`- Last request: first token in ${c.last.timeToFirstTokenMs.toFixed(0)} ms, ${c.last.generationTokensPerSecond.toFixed(1)} tokens/s\n`);
    if (c.restarts) md.appendMarkdown(`- Engine restarts: ${c.restarts}\n`);
  }
  if (s.error) md.appendMarkdown(`\n$(error) ${s.error}\n`);
  md.appendMarkdown('\nClick for model actions.');
  item.tooltip = md;
  item.backgroundColor = s.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}

async function errorMessage(err: unknown): Promise<void> {
  await vscode.window.showErrorMessage(`Hotpath: ${(err as Error)?.message ?? err}`);
}

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('hotpath.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Hotpath Model';
  item.command = 'hotpath.modelActions';
  render(item, { backend: 'embedded', state: 'idle', model: undefined, device: undefined, error: undefined, fim: undefined, counters: undefined });
  item.show();
  context.subscriptions.push(item);

  const sendApiKey = async () => {
    const apiKey = (await context.secrets.get(SECRET)) ?? null;
    await client.sendNotification(SetApiKeyNotification, { apiKey });
  };

  void whenRunning(client).then(async () => {
    client.onNotification(ModelStatusNotification, (s) => render(item, s));
    await sendApiKey().catch(() => undefined);
    const s = await client.sendRequest(ModelStatusRequest).catch(() => undefined);
    if (s) render(item, s);
  });

  const config = () => vscode.workspace.getConfiguration('hotpath.model');

  context.subscriptions.push(
    context.secrets.onDidChange((e) => {
      if (e.key === SECRET) void sendApiKey();
    }),

    vscode.commands.registerCommand('hotpath.selectModel', async () => {
      const current = config().get<string>('path');
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'GGUF models': ['gguf'] },
        defaultUri: current ? vscode.Uri.file(path.dirname(current)) : undefined,
        openLabel: 'Use this model',
      });
      if (!picked?.[0]) return;
      await config().update('path', picked[0].fsPath, vscode.ConfigurationTarget.Global);
      if (config().get<string>('backend') === 'remote') await config().update('backend', 'embedded', vscode.ConfigurationTarget.Global);
      try {
        await whenRunning(client);
        const info = await client.sendRequest(ModelLoadRequest);
        void vscode.window.showInformationMessage(`Hotpath: ${info.name} loaded on ${info.device}${info.fim ? ` (FIM: ${info.fim.family})` : ''}.`);
      } catch (err) {
        await errorMessage(err);
      }
    }),

    vscode.commands.registerCommand('hotpath.downloadModel', async () => {
      let url = config().get<string>('download.url') ?? '';
      url =
        (await vscode.window.showInputBox({
          title: 'Hotpath: Download Model',
          prompt: 'URL of a .gguf model (hotpath.model.download.url)',
          value: url,
          ignoreFocusOut: true,
          validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'an http(s) URL'),
        })) ?? '';
      if (!url.trim()) return;
      const directory = config().get<string>('download.directory') || path.join(context.globalStorageUri.fsPath, 'models');
      try {
        await whenRunning(client);
        const r = await client.sendRequest(ModelDownloadRequest, {
          url: url.trim(),
          directory,
          sha256: config().get<string>('download.sha256') || undefined,
        });
        await config().update('path', r.path, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(`Hotpath: ${path.basename(r.path)} ${r.alreadyPresent ? 'was already downloaded' : 'downloaded'} (${(r.bytes / 1e6).toFixed(1)} MB, sha256 ${r.sha256.slice(0, 12)}…) and selected.`);
      } catch (err) {
        await errorMessage(err);
      }
    }),

    vscode.commands.registerCommand('hotpath.benchmarkModel', async () => {
      try {
        await whenRunning(client);
        const r = await client.sendRequest(ModelBenchmarkRequest, {});
        const doc = await vscode.workspace.openTextDocument({ content: r.text, language: 'plaintext' });
        await vscode.window.showTextDocument(doc, { preview: true });
      } catch (err) {
        await errorMessage(err);
      }
    }),

    vscode.commands.registerCommand('hotpath.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'Hotpath: Set API Key',
        prompt: 'API key for the remote model server (stored in VS Code secret storage; empty to remove)',
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key.trim()) await context.secrets.store(SECRET, key.trim());
      else await context.secrets.delete(SECRET);
    }),

    vscode.commands.registerCommand('hotpath.modelActions', async () => {
      const actions: (vscode.QuickPickItem & { command: string })[] = [
        { label: '$(file) Select Model…', command: 'hotpath.selectModel' },
        { label: '$(cloud-download) Download Model…', command: 'hotpath.downloadModel' },
        { label: '$(dashboard) Benchmark Model', command: 'hotpath.benchmarkModel' },
        { label: '$(key) Set API Key…', command: 'hotpath.setApiKey' },
        { label: '$(debug-stop) Unload Model', command: 'hotpath.unloadModel' },
        { label: '$(output) Show Output', command: 'hotpath.showOutput' },
      ];
      const pick = await vscode.window.showQuickPick(actions, { title: 'Hotpath model' });
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),

    vscode.commands.registerCommand('hotpath.unloadModel', async () => {
      await whenRunning(client);
      await client.sendRequest(ModelUnloadRequest).catch(errorMessage);
    }),
  );
}
