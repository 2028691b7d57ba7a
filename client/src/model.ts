// Model UI: a status bar item (model, device, engine state), and the commands Select Model (the
// model that ships with Hotpath, models already downloaded, a file, or a server), Set Up a Model
// (the same, offered where a model is missing), Download Model (a curated list, or any URL;
// server-side download with progress, resume and checksum), Benchmark Model and Set API Key (kept
// in VS Code's SecretStorage and passed to the server, never in settings). Model errors come with
// the buttons that fix them (showError).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  ModelBenchmarkRequest,
  ModelCatalogRequest,
  ModelDownloadRequest,
  ModelListRequest,
  ModelLoadRequest,
  ModelStatusNotification,
  ModelStatusRequest,
  ModelUnloadRequest,
  SetApiKeyNotification,
  type CatalogModel,
  type ErrorData,
  type LocalModel,
  type ModelStatus,
} from '../../server/src/protocol';

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
  const mode = s.completion === 'prefix-only' ? ' · prefix-only' : '';
  item.text = s.state === 'unconfigured' ? `${icon} No model` : `${icon} ${s.model ?? 'model'}${device}${mode}`;
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

/** A failed request's error as the server sends it (ResponseError with data). */
interface ServerError {
  message?: string;
  data?: ErrorData;
}

/** Errors a user fixes by choosing or getting a model. */
const MODEL_MISSING = new Set(['no-model', 'noModel', 'modelNotFound', 'badModel', 'loadFailed']);

export function isModelMissing(err: unknown): boolean {
  const d = (err as ServerError)?.data;
  return MODEL_MISSING.has(d?.kind ?? '') || MODEL_MISSING.has(d?.code ?? '');
}

/**
 * Show an error; when it is about the model (none configured, file missing or unreadable), with the
 * buttons that fix it: Select Model (one on this machine, the bundled one included) and Download
 * Recommended (the first model of the curated list).
 */
export async function showError(err: unknown, output?: vscode.OutputChannel): Promise<void> {
  const message = `Hotpath: ${(err as ServerError)?.message ?? String(err)}`;
  const buttons = isModelMissing(err) ? ['Select Model', 'Download Recommended'] : [];
  if (output) buttons.push('Show Output');
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === 'Select Model') await vscode.commands.executeCommand('hotpath.selectModel');
  else if (choice === 'Download Recommended') await vscode.commands.executeCommand('hotpath.downloadModel', { recommended: true });
  else if (choice === 'Show Output') output?.show(true);
}

const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

type ModelPick = vscode.QuickPickItem & { run?: () => Thenable<unknown> };

export function register(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('hotpath.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Hotpath Model';
  item.command = 'hotpath.modelActions';
  render(item, { backend: 'embedded', state: 'idle', model: undefined, device: undefined, error: undefined, fim: undefined, completion: undefined, counters: undefined });
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
  const downloadDirectory = () => config().get<string>('download.directory') || path.join(context.globalStorageUri.fsPath, 'models');

  /** Use a GGUF file: set it, switch to the embedded engine, load it and say where it runs. */
  const useModel = async (file: string) => {
    await config().update('path', file, vscode.ConfigurationTarget.Global);
    if (config().get<string>('backend') === 'remote') await config().update('backend', 'embedded', vscode.ConfigurationTarget.Global);
    try {
      await whenRunning(client);
      const info = await client.sendRequest(ModelLoadRequest);
      void vscode.window.showInformationMessage(`Hotpath: ${info.name} loaded on ${info.device}${info.fim ? ` (FIM: ${info.fim.family})` : ''}.`);
    } catch (err) {
      await showError(err, client.outputChannel);
    }
  };

  /** The models on this machine: the server's list (bundled + download cache), or at least the bundled one. */
  const localModels = async (): Promise<LocalModel[]> => {
    await whenRunning(client);
    const listed = await client.sendRequest(ModelListRequest).then((r) => r.models, () => undefined);
    if (listed) return listed;
    const bundled = context.asAbsolutePath(path.join('assets', 'hotpath-code-tiny.gguf'));
    try {
      const st = await vscode.workspace.fs.stat(vscode.Uri.file(bundled));
      return [{ path: bundled, name: 'hotpath-code-tiny', source: 'bundled', bytes: st.size, description: "Hotpath's own tiny code model (0.86 M parameters): it completes indentation and brackets, not meaning — enough to try completions, not for real rewrites" }];
    } catch {
      return [];
    }
  };

  const catalog = async (): Promise<CatalogModel[]> => {
    await whenRunning(client);
    return client.sendRequest(ModelCatalogRequest).then((r) => r.models, () => []);
  };

  const download = async (params: { id?: string; url?: string }, label: string) => {
    try {
      await whenRunning(client);
      const r = await client.sendRequest(ModelDownloadRequest, { ...params, directory: downloadDirectory(), sha256: params.url ? config().get<string>('download.sha256') || undefined : undefined });
      void vscode.window.showInformationMessage(`Hotpath: ${label} ${r.alreadyPresent ? 'was already downloaded' : 'downloaded'} (${mb(r.bytes)}, sha256 ${r.sha256.slice(0, 12)}…).`);
      await useModel(r.path);
    } catch (err) {
      await showError(err, client.outputChannel);
    }
  };

  const askForUrl = async () => {
    const url =
      (await vscode.window.showInputBox({
        title: 'Hotpath: Download Model',
        prompt: 'URL of a .gguf model (hotpath.model.download.url)',
        value: config().get<string>('download.url') ?? '',
        ignoreFocusOut: true,
        validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'an http(s) URL'),
      })) ?? '';
    if (url.trim()) await download({ url: url.trim() }, path.basename(url.trim()));
  };

  const useServer = async () => {
    const baseUrl = await vscode.window.showInputBox({
      title: 'Hotpath: Use a Model Server',
      prompt: 'OpenAI-compatible completions server (llama.cpp server, vLLM, SGLang, Ollama)',
      value: config().get<string>('remote.baseUrl') || 'http://127.0.0.1:8080',
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'an http(s) URL'),
    });
    if (!baseUrl?.trim()) return;
    await config().update('remote.baseUrl', baseUrl.trim(), vscode.ConfigurationTarget.Global);
    await config().update('backend', 'remote', vscode.ConfigurationTarget.Global);
    try {
      await whenRunning(client);
      const info = await client.sendRequest(ModelLoadRequest);
      void vscode.window.showInformationMessage(`Hotpath: using ${info.name} on ${info.device}.`);
    } catch (err) {
      await showError(err, client.outputChannel);
    }
  };

  const selectModel = async (title = 'Hotpath: Select Model') => {
    const current = config().get<string>('backend') === 'remote' ? undefined : config().get<string>('path');
    const models = await localModels();
    const icon = { bundled: '$(package)', cache: '$(database)', configured: '$(file)' };
    const where = { bundled: 'ships with Hotpath', cache: 'downloaded', configured: 'configured' };
    const items: ModelPick[] = [];
    if (models.length) items.push({ label: 'On this machine', kind: vscode.QuickPickItemKind.Separator });
    for (const m of models) {
      items.push({
        label: `${m.path === current ? '$(check)' : icon[m.source]} ${m.name}`,
        description: `${where[m.source]} · ${mb(m.bytes)}`,
        detail: m.description ?? m.path,
        run: () => useModel(m.path),
      });
    }
    items.push(
      { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
      {
        label: '$(folder-opened) Choose a GGUF File…',
        run: async () => {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'GGUF models': ['gguf'] }, defaultUri: current ? vscode.Uri.file(path.dirname(current)) : undefined, openLabel: 'Use this model' });
          if (picked?.[0]) await useModel(picked[0].fsPath);
        },
      },
      { label: '$(cloud-download) Download a Model…', run: () => vscode.commands.executeCommand('hotpath.downloadModel') },
      { label: '$(remote) Use a Model Server…', description: 'OpenAI-compatible', run: useServer },
    );
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'The model for verified rewrites and inline completions', matchOnDescription: true, matchOnDetail: true });
    await pick?.run?.();
  };

  context.subscriptions.push(
    context.secrets.onDidChange((e) => {
      if (e.key === SECRET) void sendApiKey();
    }),

    vscode.commands.registerCommand('hotpath.selectModel', () => selectModel()),
    vscode.commands.registerCommand('hotpath.setUpModel', () => selectModel('Hotpath: Set Up a Model for Verified Rewrites and Completions')),

    vscode.commands.registerCommand('hotpath.downloadModel', async (arg?: { recommended?: boolean }) => {
      const models = await catalog();
      if (arg?.recommended && models.length) return download({ id: models[0].id }, models[0].name);
      const items: ModelPick[] = models.map((m, i) => ({
        label: `${m.installedPath ? '$(check)' : '$(cloud-download)'} ${m.name}${i === 0 ? ' (recommended)' : ''}`,
        description: `${mb(m.bytes)} · ${m.license}`,
        detail: `${m.description} — from ${m.origin}`,
        run: () => (m.installedPath ? useModel(m.installedPath) : download({ id: m.id }, m.name)),
      }));
      items.push({ label: '$(link) Other URL…', detail: 'any .gguf file over http(s), resumed and checked against hotpath.model.download.sha256 when set', run: askForUrl });
      const pick = await vscode.window.showQuickPick(items, { title: 'Hotpath: Download Model', placeHolder: models.length ? 'Curated models (size, licence, where they come from)' : 'A GGUF model by URL' });
      await pick?.run?.();
    }),

    vscode.commands.registerCommand('hotpath.benchmarkModel', async () => {
      try {
        await whenRunning(client);
        const r = await client.sendRequest(ModelBenchmarkRequest, {});
        const doc = await vscode.workspace.openTextDocument({ content: r.text, language: 'plaintext' });
        await vscode.window.showTextDocument(doc, { preview: true });
      } catch (err) {
        await showError(err, client.outputChannel);
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
      await client.sendRequest(ModelUnloadRequest).catch((err) => showError(err));
    }),
  );
}
